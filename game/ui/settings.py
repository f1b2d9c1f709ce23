"""Player settings and where the game keeps its files.

UI layer, but free of pygame so that it can be read anywhere. Settings live in one JSON file
in the game's home folder: ``$MESOPOTAMIA_HOME`` if set, else ``$XDG_DATA_HOME/mesopotamia``
(``~/.local/share/mesopotamia``). Saves go in its ``saves/`` folder. A settings file that
cannot be read is reported and replaced by the defaults; it is never fatal.
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

AI_SPEEDS = ("slow", "normal", "fast", "skip")  # how AI turns are shown
PALETTES = ("standard", "colour-blind")
UI_SCALES = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5)


from game import home, saves_dir  # noqa: F401  (where the game keeps its files)


def env_int(name: str) -> int | None:
    """A whole number from the environment (``MESOPOTAMIA_MAX_FRAMES`` and the like), or
    None when it is unset or not a number."""
    v = os.environ.get(name)
    try:
        return int(v) if v else None
    except ValueError:
        return None


@dataclass
class Settings:
    ui_scale: float = 1.0
    palette: str = "standard"
    ai_speed: str = "normal"
    edge_pan: bool = True
    follow_ai: bool = True
    autosave: bool = True
    volume: int = 70  # of the sound effects, 0-100
    mute: bool = False
    confirm_end_turn: bool = True  # ask before ending a turn with units that can still act
    window_size: list = field(default_factory=list)
    pbem_folder: str = ""  # play by e-mail: the folder of turn files last used
    pbem_player: str = ""  # and the name the player last watched a shared folder for

    @classmethod
    def path(cls) -> Path:
        return home() / "settings.json"

    @classmethod
    def load(cls) -> "Settings":
        p = cls.path()
        s = cls()
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return s
        except (OSError, ValueError) as exc:
            print(f"mesopotamia: {p}: settings unreadable, using defaults ({exc})", file=sys.stderr)
            return s
        if not isinstance(data, dict):
            return s
        names = {f.name for f in fields(cls)}
        for k, v in data.items():
            if k in names:
                setattr(s, k, v)
        s._clean()
        return s

    def _clean(self) -> None:
        d = Settings()
        try:
            self.ui_scale = min(UI_SCALES, key=lambda x: abs(x - float(self.ui_scale)))
        except (TypeError, ValueError):
            self.ui_scale = d.ui_scale
        if self.palette not in PALETTES:
            self.palette = d.palette
        if self.ai_speed not in AI_SPEEDS:
            self.ai_speed = d.ai_speed
        self.edge_pan = bool(self.edge_pan)
        self.follow_ai = bool(self.follow_ai)
        self.autosave = bool(self.autosave)
        self.confirm_end_turn = bool(self.confirm_end_turn)
        v = self.volume
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            self.volume = max(0, min(100, int(round(v))))
        else:
            self.volume = d.volume
        if not isinstance(self.mute, bool):
            self.mute = d.mute
        for name in ("pbem_folder", "pbem_player"):
            if not isinstance(getattr(self, name), str):
                setattr(self, name, "")
        ws = self.window_size
        if not (isinstance(ws, list) and len(ws) == 2 and all(isinstance(x, int) and 200 <= x <= 10000 for x in ws)):
            self.window_size = []

    def save(self) -> None:
        p = self.path()
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")
        os.replace(tmp, p)
