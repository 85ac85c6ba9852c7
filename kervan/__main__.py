"""``python -m kervan``: the same as the ``kervan`` command."""

import sys

from kervan.cli import main

sys.exit(main())
