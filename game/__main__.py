"""``python -m game`` runs the same command as ``mesopotamia``."""

import sys

from game.cli import main

sys.exit(main())
