"""``python -m kaohe``: the kaohe command."""

import sys

from kaohe.cli import main

sys.exit(main())
