"""`python -m newsbot.bot` runs the newsbot command line."""

import sys

from newsbot.bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
