"""The window's scene stack: one loop, and scenes that come and go on a stack.

UI layer (pygame). A ``Scene`` has a lifecycle: ``enter`` when it comes to the top of the
stack, ``handle_event`` for each input event, ``update`` once a frame with the seconds since
the last, ``draw`` onto the window, and ``leave`` when it is popped or covered. Only the top
scene gets input and is drawn (a scene that wants to show the one below, such as an overlay,
draws it itself through ``App.below``).

``App`` owns the window, the clock, the settings, the sound effects (``App.sounds``, a
``game.ui.sound.Sounds``: scenes call ``self.app.sounds.play("gunfire")``) and the stack. ``App.run`` is the frame
loop for a person at the window; ``App.step`` runs one frame on a list of events the caller
gives, which is how tests drive the window with its own input events.
"""

from __future__ import annotations

import os
import sys
import warnings

import pygame

from game.ui.settings import Settings, env_int
from game.ui.sound import Sounds

WINDOW_TITLE = "Mesopotamia 2014-2021"
FPS = 60
MIN_SIZE = (960, 600)


class Scene:
    """A screen of the game. Subclasses override what they need."""

    #: True for scenes that draw the scene below them first (dialogs, overlays).
    overlay = False

    def __init__(self, app: "App"):
        self.app = app

    def enter(self) -> None:
        """Called when the scene comes to the top of the stack (pushed, or uncovered)."""

    def leave(self) -> None:
        """Called when the scene is popped, replaced or covered by another."""

    def handle_event(self, event: pygame.event.Event) -> None:
        """One input or window event."""

    def update(self, dt: float) -> None:
        """Once a frame, with the seconds since the last frame."""

    def draw(self, screen: pygame.Surface) -> None:
        """Draw the whole scene onto the window surface."""

    def resize(self, size: tuple[int, int]) -> None:
        """The window changed size; ``size`` is the new size in pixels."""

    def close_requested(self) -> bool:
        """The player closed the window. True lets the game quit; a scene with something to
        ask first (unsaved changes) asks, and returns False."""
        return True


class App:
    """The window, the settings, the sound effects and the scene stack."""

    def __init__(self, size: tuple[int, int] | None = None, settings=None):
        self.settings = settings if settings is not None else Settings.load()
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        pygame.display.init()  # no mixer yet: the sounds open it on the first one played,
        pygame.font.init()  # so a machine without a sound card plays on in silence
        pygame.key.set_repeat(300, 40)
        pygame.display.set_caption(WINDOW_TITLE)
        size = size or tuple(self.settings.window_size) or _default_size()
        size = (max(MIN_SIZE[0], size[0]), max(MIN_SIZE[1], size[1]))
        self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        try:  # the window cannot be dragged smaller than every screen is laid out for
            with warnings.catch_warnings():  # pygame-ce marks the display module's Window
                warnings.simplefilter("ignore", DeprecationWarning)  # as old; it is the one
                pygame.Window.from_display_module().minimum_size = MIN_SIZE
        except (AttributeError, pygame.error):  # an older pygame-ce, or a driver without
            pass
        self.clock = pygame.time.Clock()
        self.sounds = Sounds(self.settings)
        self.stack: list[Scene] = []
        self.running = True
        self.exit_status = 0
        self.frames = 0

    @classmethod
    def open(cls, size: tuple[int, int] | None = None) -> "App | None":
        """The window, or None (said on stderr) where no window can be opened."""
        try:
            return cls(size)
        except pygame.error as exc:
            print(f"mesopotamia: cannot open a window ({exc})", file=sys.stderr)
            pygame.quit()
            return None

    # -- the stack ------------------------------------------------------------------------

    @property
    def top(self) -> Scene | None:
        return self.stack[-1] if self.stack else None

    def below(self, scene: Scene) -> Scene | None:
        """The scene under ``scene`` on the stack, if any."""
        try:
            i = self.stack.index(scene)
        except ValueError:
            return None
        return self.stack[i - 1] if i > 0 else None

    def push(self, scene: Scene) -> Scene:
        if self.stack:
            self.stack[-1].leave()
        self.stack.append(scene)
        scene.resize(self.screen.get_size())
        scene.enter()
        return scene

    def pop(self) -> Scene | None:
        if not self.stack:
            return None
        scene = self.stack.pop()
        scene.leave()
        if self.stack:
            self.stack[-1].resize(self.screen.get_size())
            self.stack[-1].enter()
        else:
            self.running = False
        return scene

    def replace(self, scene: Scene) -> Scene:
        """Put ``scene`` in place of the top scene."""
        if self.stack:
            self.stack.pop().leave()
        return self.push(scene)

    def reset(self, scene: Scene) -> Scene:
        """Empty the stack and start again from ``scene`` (for example, back to the menu)."""
        while self.stack:
            self.stack.pop().leave()
        return self.push(scene)

    def quit(self, status: int = 0) -> None:
        self.running = False
        self.exit_status = status

    # -- the loop -------------------------------------------------------------------------

    def step(self, events: list[pygame.event.Event] | None = None, dt: float | None = None) -> None:
        """One frame: the events (the queue's, if none are given), an update and a draw."""
        if dt is None:
            dt = self.clock.tick(FPS) / 1000.0
        if events is None:
            events = pygame.event.get()
        for event in events:
            if event.type == pygame.QUIT:
                # Every scene on the stack, from the top, may hold the quit back to ask first.
                if all(scene.close_requested() for scene in reversed(list(self.stack))):
                    self.quit(0)
                return
            if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
                self.screen = pygame.display.get_surface()
                for scene in self.stack:
                    scene.resize(self.screen.get_size())
            if self.top is not None:
                self.top.handle_event(event)
            if not self.running:
                return
        if self.top is None:
            self.running = False
            return
        top = self.top
        top.update(dt)
        if self.top is top:
            top.draw(self.screen)
        self.frames += 1

    def run(self, max_frames: int | None = None, screenshot=None) -> int:
        """Run until the player quits; returns the exit status.

        ``max_frames`` (or the environment's ``MESOPOTAMIA_MAX_FRAMES``) stops after that
        many frames, saving the window to ``screenshot`` (or ``MESOPOTAMIA_SCREENSHOT``).
        """
        if max_frames is None:
            max_frames = env_int("MESOPOTAMIA_MAX_FRAMES")
        if screenshot is None:
            screenshot = os.environ.get("MESOPOTAMIA_SCREENSHOT") or None
        while self.running and self.stack:
            self.step()
            pygame.display.flip()
            if max_frames is not None and self.frames >= max_frames:
                if screenshot:
                    pygame.image.save(self.screen, str(screenshot))
                break
        try:
            self.settings.window_size = list(self.screen.get_size())
            self.settings.save()
        except OSError as exc:
            print(f"mesopotamia: settings not saved ({exc})", file=sys.stderr)
        return self.exit_status

    def close(self) -> None:
        while self.stack:
            self.stack.pop().leave()
        self.sounds.close()
        pygame.quit()


def _default_size() -> tuple[int, int]:
    try:
        dw, dh = pygame.display.get_desktop_sizes()[0]
    except (pygame.error, IndexError):
        return 1280, 800
    return max(MIN_SIZE[0], min(1600, int(dw * 0.9))), max(MIN_SIZE[1], min(1000, int(dh * 0.85)))
