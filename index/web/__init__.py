"""Articles from the web: feed subscriptions, polite fetching, page extraction, day files in the corpus."""
