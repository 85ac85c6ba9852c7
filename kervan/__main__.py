"""``python -m kervan``: the same as the ``kervan`` command."""

import sys

from kervan.entry import main

sys.exit(main())
