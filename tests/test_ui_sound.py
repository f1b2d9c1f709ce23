"""The sound effects: what they are made of, how they play, and the settings that rule them.

Headless: SDL's dummy audio driver may open a mixer or not, and either way nothing may raise.
Where a test needs to know what was started it spies on the mixer's channels.
"""

from __future__ import annotations

import json

import numpy as np
import pygame
import pytest

from game.ui import menus
from game.ui import sound as S
from game.ui.scene import App
from game.ui.settings import Settings
from test_ui_menus import click, frame, key

RATE = 44100


# -- what the effects are ----------------------------------------------------------------------

def test_the_effects_the_battle_screen_calls_exist():
    assert {"select", "move", "gunfire", "air_strike", "blast", "town_taken", "turn_start",
            "refused", "victory", "defeat"} <= set(S.EFFECTS)


@pytest.mark.parametrize("name", S.EFFECTS)
def test_every_effect_is_short_audible_and_clean(name):
    w = S.waveform(name, RATE)
    assert w.dtype == np.float32 and w.ndim == 2 and w.shape[1] == 2
    seconds = len(w) / RATE
    assert 0.05 <= seconds <= 1.5, seconds
    assert np.isfinite(w).all()
    peak = float(np.abs(w).max())
    assert 0.25 <= peak <= 0.95, peak  # heard, and with room left before the mixer clips
    assert float(np.sqrt(np.mean(w ** 2))) > 0.02  # not a near-silence with one spike
    # Faded in and out: no click where the sound starts or stops.
    assert np.abs(w[0]).max() < 0.01 and np.abs(w[-1]).max() < 0.01


def test_effects_are_told_apart_by_their_sound():
    def low_share(name):
        mono = S.waveform(name, RATE).mean(axis=1)
        power = np.abs(np.fft.rfft(mono)) ** 2
        f = np.fft.rfftfreq(len(mono), 1 / RATE)
        return power[f < 250].sum() / power.sum()

    # The buzz of a refused order is low; the click of a button and a bell are not.
    assert low_share("refused") > 0.8
    assert low_share("select") < 0.05 and low_share("turn_start") < 0.05
    # A blast carries its weight in the bass; gunfire is mostly crack.
    assert low_share("blast") > 2 * low_share("gunfire")


def test_the_jet_crosses_from_left_to_right():
    w = S.waveform("air_strike", RATE).astype(np.float64)
    jet = w[: int(0.75 * RATE)]  # before the bombs
    early, late = jet[: len(jet) // 2], jet[len(jet) // 2:]
    assert np.sqrt((early[:, 0] ** 2).mean()) > np.sqrt((early[:, 1] ** 2).mean())
    assert np.sqrt((late[:, 1] ** 2).mean()) > np.sqrt((late[:, 0] ** 2).mean())


def test_effects_are_made_by_their_own_generator():
    S.waveform.cache_clear()
    np.random.seed(3)
    before = np.random.get_state()[1].copy()
    first = S.waveform("gunfire", RATE).copy()
    assert (np.random.get_state()[1] == before).all()  # the global generator was not drawn on
    S.waveform.cache_clear()
    assert np.array_equal(S.waveform("gunfire", RATE), first)  # the same shots every time
    assert len(S.waveform("gunfire", 22050)) == len(first) // 2  # any mixer rate


@pytest.mark.parametrize("size,channels,dtype,shape_end", [
    (-16, 2, np.int16, (2,)), (16, 2, np.uint16, (2,)), (8, 1, np.uint8, ()),
    (-8, 1, np.int8, ()), (32, 2, np.float32, (2,)), (-16, 4, np.int16, (4,))])
def test_samples_follow_the_mixer_format(size, channels, dtype, shape_end):
    wave = np.array([[0.0, 0.0], [1.0, -1.0], [0.5, 0.5]], dtype=np.float32)
    data = S.mixer_samples(wave, size, channels)
    assert data.dtype == dtype and data.shape == (3,) + shape_end
    if dtype == np.int16 and channels == 2:
        assert data.tolist() == [[0, 0], [32767, -32767], [16384, 16384]]
    if dtype == np.uint8:
        assert data.tolist() == [128, 128, 191]  # a mono mixer hears both ears mixed


# -- playing -----------------------------------------------------------------------------------

class Channel:
    """A mixer channel that records what it was asked to play and how loud."""

    def __init__(self, log):
        self.log = log
        self.volume = None

    def set_volume(self, *volume):
        self.volume = volume

    def play(self, sound):
        self.log.append((sound, self.volume))


@pytest.fixture
def spied(monkeypatch):
    """A mixer that opens, and records the effects started on it: (sound, volume) pairs."""
    started = []
    opened = []
    mixer = {"format": None}

    def init(**kw):
        opened.append(kw)
        mixer["format"] = (kw["frequency"], kw["size"], kw["channels"])

    monkeypatch.setattr(pygame.mixer, "init", init)
    monkeypatch.setattr(pygame.mixer, "get_init", lambda: mixer["format"])
    monkeypatch.setattr(pygame.mixer, "quit", lambda: mixer.update(format=None))
    monkeypatch.setattr(pygame.mixer, "get_num_channels", lambda: 16)
    monkeypatch.setattr(pygame.mixer, "find_channel", lambda force=False: Channel(started))
    monkeypatch.setattr(pygame.sndarray, "make_sound", lambda samples: ("sound", samples.shape))
    return started, opened


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_player_volume_and_the_callers_volume_multiply(spied):
    started, opened = spied
    settings = Settings()
    clock = Clock()
    sounds = S.Sounds(settings, clock=clock)
    assert opened == []  # nothing is opened before a sound is wanted
    assert sounds.play("gunfire") is not None
    assert len(opened) == 1 and started[-1][1] == (pytest.approx(0.7),)
    clock.now += 1
    sounds.play("blast", volume=0.5)
    assert started[-1][1] == (pytest.approx(0.35),)
    settings.volume = 100  # the settings screen's change is heard at the next sound
    clock.now += 1
    sounds.play("blast", pan=0.5)
    left, right = started[-1][1]
    assert right == pytest.approx(1.0) and left == pytest.approx(0.5)
    assert len(opened) == 1  # the mixer is opened once


def test_mute_or_volume_zero_starts_nothing(spied):
    started, opened = spied
    settings = Settings(mute=True)
    clock = Clock()
    sounds = S.Sounds(settings, clock=clock)
    for name in S.EFFECTS:
        assert sounds.play(name) is None
    sounds.prepare()
    assert started == [] and opened == []  # a muted game never opens the sound device
    settings.mute, settings.volume = False, 0
    for name in S.EFFECTS:
        assert sounds.play(name) is None
    assert sounds.play("select", volume=0.0) is None
    assert started == []
    settings.volume = 40
    clock.now += 1
    assert sounds.play("select") is not None and len(started) == 1


def test_a_rapid_repeat_of_one_effect_starts_it_once(spied):
    started, _ = spied
    clock = Clock()
    sounds = S.Sounds(Settings(), clock=clock)
    for _ in range(30):  # thirty units moved in one frame
        sounds.play("move")
    assert len(started) == 1
    assert sounds.play("gunfire") is not None  # another effect is not held back
    clock.now += 0.03
    assert sounds.play("move") is None
    clock.now += 0.04
    assert sounds.play("move") is not None
    assert len(started) == 3


def test_an_unknown_effect_is_a_mistake_said_at_once(spied):
    with pytest.raises(ValueError, match="gunfire"):
        S.Sounds(Settings()).play("gun_fire")


@pytest.mark.parametrize("error", [pygame.error("no audio device"), OSError("ALSA: no card")])
def test_a_mixer_that_will_not_open_leaves_the_game_silent(monkeypatch, capsys, error):
    tries = []

    def init(**kw):
        tries.append(kw)
        raise error

    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    monkeypatch.setattr(pygame.mixer, "init", init)
    sounds = S.Sounds(Settings())
    for _ in range(3):
        for name in S.EFFECTS:
            assert sounds.play(name) is None
    sounds.prepare()
    assert sounds.silent and len(tries) == 1  # tried once, then never again
    assert capsys.readouterr().err.count("no sound") == 1
    sounds.close()


def test_a_sound_that_cannot_be_made_leaves_the_game_silent(spied, monkeypatch):
    def broken(samples):
        raise pygame.error("Unsupported audio format")

    monkeypatch.setattr(pygame.sndarray, "make_sound", broken)
    sounds = S.Sounds(Settings())
    assert sounds.play("blast") is None and sounds.silent
    assert sounds.play("select") is None


def test_the_window_plays_on_the_real_mixer_and_lets_it_go(home):
    """With SDL's dummy driver the mixer may open or not: either way, no error."""
    app = App((1024, 700), Settings())
    try:
        assert pygame.mixer.get_init() is None  # opening the window opens no sound device
        channel = app.sounds.play("select")
        if channel is not None:
            assert channel.get_sound() is app.sounds._sounds["select"]
            assert pygame.mixer.get_init() is not None
        else:
            assert app.sounds.silent
        for name in S.EFFECTS:
            app.sounds.play(name)
    finally:
        app.close()
    assert pygame.mixer.get_init() is None


# -- the settings ------------------------------------------------------------------------------

def test_volume_and_mute_are_kept(home):
    s = Settings()
    assert (s.volume, s.mute) == (70, False)
    s.volume, s.mute = 30, True
    s.save()
    loaded = Settings.load()
    assert (loaded.volume, loaded.mute) == (30, True)


@pytest.mark.parametrize("volume,mute,expected", [
    (250, False, (100, False)), (-5, True, (0, True)), (45.6, False, (46, False)),
    ("loud", "yes", (70, False)), (True, 1, (70, False)), (None, None, (70, False))])
def test_bad_sound_settings_fall_back(home, volume, mute, expected):
    home.mkdir(parents=True, exist_ok=True)
    Settings.path().write_text(json.dumps({"volume": volume, "mute": mute}), encoding="utf-8")
    loaded = Settings.load()
    assert (loaded.volume, loaded.mute) == expected


def test_the_settings_screen_sets_sound_and_volume(app, home, monkeypatch):
    heard = []
    monkeypatch.setattr(app.sounds, "play", lambda name, volume=1.0, pan=0.0:
                        heard.append((name, app.settings.volume, app.settings.mute)))
    menu = app.push(menus.MainMenuScene(app))
    frame(app)
    scene = app.push(menus.SettingsScene(app))
    frame(app)
    sound_button, volume_button = scene.row_buttons["mute"], scene.row_buttons["volume"]
    assert (sound_button.text, volume_button.text) == ("on", "70%")

    scene.focus = scene.focusable.index(volume_button)
    key(app, pygame.K_RIGHT)
    assert app.settings.volume == 80 and volume_button.text == "80%"
    assert heard[-1] == ("select", 80, False)  # a click at the new volume
    for _ in range(4):
        key(app, pygame.K_RIGHT)
    assert app.settings.volume == 100  # the arrows stop at the top
    click(app, volume_button)
    assert app.settings.volume == 0 and volume_button.text == "0%"  # a click goes round
    key(app, pygame.K_LEFT)
    assert app.settings.volume == 0
    click(app, volume_button)
    assert app.settings.volume == 10

    click(app, sound_button)
    assert app.settings.mute and sound_button.text == "off"
    scene.focus = scene.focusable.index(sound_button)
    key(app, pygame.K_RETURN)
    assert not app.settings.mute and sound_button.text == "on"
    key(app, pygame.K_RETURN)
    assert app.settings.mute
    assert [h[0] for h in heard] == ["select"] * len(heard) and len(heard) >= 6

    key(app, pygame.K_ESCAPE)
    assert app.top is menu
    saved = Settings.load()
    assert (saved.volume, saved.mute) == (10, True)
