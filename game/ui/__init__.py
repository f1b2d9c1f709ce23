"""The pygame-ce front end: map drawing (``mapdraw``) and the window (``app``).

UI layer: the only package of ``game`` that imports pygame. It reads the engine's state and
map and never changes them except through the engine's commands.
"""

import os

# Set before any module of this package imports pygame, which otherwise greets on stdout
# (and would garble `mesopotamia map --png`'s one line of output).
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
