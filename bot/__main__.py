"""`python -m bot` runs the newsbot command line."""

import sys
from pathlib import Path

if __name__ == "__main__":
    # `python -m` puts the working directory first on sys.path, where a folder named
    # `index` (an index folder, say) would shadow the engine package. Look where
    # this package lives instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

    from bot.cli import main

    sys.exit(main())
