"""Storage: segments on disk, their vocabulary and checksums, the manifest, building, refreshing and locking."""
