"""``python -m kaohe.cli``: the kaohe command."""

import sys

from kaohe.cli import main

sys.exit(main())
