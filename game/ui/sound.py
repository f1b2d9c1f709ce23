"""Sound effects for the window, synthesised in code: no recorded files.

UI layer (pygame, numpy). ``waveform(name, rate)`` makes one effect as a float array of
stereo samples in [-1, 1] from noise shaped by envelopes and filters and from tones with
harmonics; it is pure and cached, and its only randomness is a generator of its own with a
fixed seed, so an effect sounds the same every time and the game's generator is never
touched. ``Sounds`` plays them: ``App`` holds one, and scenes call
``app.sounds.play("gunfire")``. The names are ``EFFECTS``.

Sound is a garnish, never a reason to stop: the mixer is opened on the first sound played
(not at start-up, where a machine without a sound card would complain), and if opening it or
anything after fails the game carries on silent for the rest of the session. The volume and
mute of the player's settings are read at every play, so the settings screen takes effect at
once.
"""

from __future__ import annotations

import functools
import math
import sys
import time
import zlib

import numpy as np
import pygame

#: The shortest time between two starts of the same effect, in seconds: thirty units moved
#: in one frame make one sound, not thirty stacked into a roar.
REPEAT_GAP = 0.06
#: Effects that can sound at once (a fight, a jet and a blast overlap).
MIXER_CHANNELS = 16
#: What the mixer is asked for; the device may give something else, and the effects follow
#: whatever ``pygame.mixer.get_init`` reports.
MIXER_REQUEST = dict(frequency=44100, size=-16, channels=2, buffer=512)


# -- building blocks -----------------------------------------------------------------------

def _samples(rate: int, seconds: float) -> int:
    return max(1, int(round(seconds * rate)))


def _time(n: int, rate: int) -> np.ndarray:
    return np.arange(n) / rate


def _unit(x: np.ndarray) -> np.ndarray:
    """``x`` scaled to an RMS of 1, so that parts can be mixed by their stated weights."""
    rms = math.sqrt(float(np.mean(x * x)))
    return x / rms if rms > 0 else x


def _band_gain(f: np.ndarray, lo: float | None, hi: float | None, order: int) -> np.ndarray:
    """The magnitude of a Butterworth-like band: high-pass at ``lo``, low-pass at ``hi``."""
    g = np.ones_like(f)
    if lo:
        g = g / np.sqrt(1.0 + (lo / np.maximum(f, 1e-3)) ** (2 * order))
    if hi:
        g = g / np.sqrt(1.0 + (f / hi) ** (2 * order))
    return g


def _noise(rng, n: int, rate: int, lo: float | None = None, hi: float | None = None,
           order: int = 2) -> np.ndarray:
    """White noise filtered to the band ``lo``-``hi`` Hz, at an RMS of 1.

    Filtering in the frequency domain wraps round the end of the array; for noise that is
    harmless (the result is still noise of that colour) and it needs no filter library.
    """
    white = rng.standard_normal(n)
    if lo is None and hi is None:
        return white
    spec = np.fft.rfft(white) * _band_gain(np.fft.rfftfreq(n, 1.0 / rate), lo, hi, order)
    return _unit(np.fft.irfft(spec, n))


def _swept_noise(rng, n: int, rate: int, lo, hi, order: int = 2, frame: int = 1024) -> np.ndarray:
    """Noise through a band that moves: ``lo(t)`` and ``hi(t)`` give its edges at ``t`` s.

    Short Hann-windowed frames overlapping by half each get the band of their moment; the
    windows add up to one, so the level is kept. Each frame is brought to the same RMS, so a
    narrowing band does not fade by itself (the caller's envelope says how loud it is).
    """
    hop = frame // 2
    window = np.hanning(frame + 1)[:-1]  # the periodic Hann: halves overlap to exactly one
    white = rng.standard_normal(n + frame)
    out = np.zeros(n + frame)
    f = np.fft.rfftfreq(frame, 1.0 / rate)
    for start in range(0, n + 1, hop):  # the frame starting here is centred on sample start
        g = _band_gain(f, lo(start / rate), hi(start / rate), order)
        g /= math.sqrt(float(np.mean(g * g))) or 1.0
        spec = np.fft.rfft(white[start:start + frame] * window) * g
        out[start:start + frame] += np.fft.irfft(spec, frame)
    return out[hop:hop + n]


def _ramp(t: np.ndarray, start: float, length: float) -> np.ndarray:
    """0 before ``start``, 1 after ``start + length``, a smooth (cosine) rise between."""
    x = np.clip((t - start) / max(length, 1e-9), 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * x)


def _decay(t: np.ndarray, tau: float, start: float = 0.0) -> np.ndarray:
    """An exponential fall with time constant ``tau`` from ``start``; 0 before it."""
    return np.where(t >= start, np.exp(-np.maximum(t - start, 0.0) / tau), 0.0)


def _pan(x: np.ndarray, pan) -> np.ndarray:
    """Mono to stereo at ``pan`` (-1 left, 0 centre, 1 right; a number or one per sample), by
    equal power, so a sound moving across keeps its loudness."""
    angle = (np.clip(pan, -1.0, 1.0) + 1.0) * np.pi / 4
    return np.stack([x * np.cos(angle), x * np.sin(angle)], axis=-1) * math.sqrt(2.0)


def _stereo(x: np.ndarray) -> np.ndarray:
    return x if x.ndim == 2 else np.stack([x, x], axis=-1)


def _place(buf: np.ndarray, x: np.ndarray, at: float, rate: int, gain: float = 1.0) -> None:
    """Add ``x`` into ``buf`` from ``at`` seconds on, cut at the end of ``buf``."""
    i = _samples(rate, at) if at > 0 else 0
    m = min(len(x), len(buf) - i)
    if m > 0:
        buf[i:i + m] += gain * (x[:m] if buf.ndim == x.ndim else _stereo(x[:m]))


def _echo(rng, x: np.ndarray, rate: int, tau: float, wet: float) -> np.ndarray:
    """``x`` with an open-air tail: convolved with a decaying noise, different in each ear,
    which is also what makes a mono sound wide."""
    x = _stereo(x)
    n = len(x)
    m = _samples(rate, min(4 * tau, 0.6))
    t = _time(m, rate)
    size = 1 << int(math.ceil(math.log2(n + m)))
    out = np.empty_like(x)
    for ear in range(2):
        ir = _noise(rng, m, rate, 150, 3500) * np.exp(-t / tau) * _ramp(t, 0.0, 0.01)
        ir /= math.sqrt(float(np.sum(ir * ir))) or 1.0
        tail = np.fft.irfft(np.fft.rfft(x[:, ear], size) * np.fft.rfft(ir, size), size)[:n]
        out[:, ear] = x[:, ear] + wet * tail
    return out


def _finish(x: np.ndarray, rate: int, peak: float, fade_in: float = 0.002,
            fade_out: float = 0.03) -> np.ndarray:
    """Stereo, faded in and out (no click at either end), at ``peak`` at its loudest."""
    x = _stereo(np.asarray(x, dtype=np.float64)).copy()
    n = len(x)
    t = _time(n, rate)
    x *= (_ramp(t, 0.0, fade_in) * (1.0 - _ramp(t, n / rate - fade_out, fade_out)))[:, None]
    top = float(np.max(np.abs(x)))
    if top > 0:
        x *= peak / top
    return x.astype(np.float32)


def _partial_sum(phase: np.ndarray, amps) -> np.ndarray:
    return sum(a * np.sin(k * phase) for k, a in enumerate(amps, start=1) if a)


# -- instruments -----------------------------------------------------------------------------

def _shot(rng, rate: int, distance: float) -> np.ndarray:
    """One gunshot; ``distance`` 0 is beside the listener, 1 across the valley (duller,
    softer at the crack, longer in the body)."""
    n = _samples(rate, 0.2)
    t = _time(n, rate)
    crack = _noise(rng, n, rate, 900 - 400 * distance, 7500 - 5000 * distance) \
        * _decay(t, 0.009 + 0.01 * distance)
    body = _noise(rng, n, rate, 120, 1500) * _decay(t, 0.04 + 0.03 * distance)
    thump = np.sin(2 * np.pi * 85 * t) * _decay(t, 0.03)
    x = ((1.0 - 0.5 * distance) * crack + 0.6 * body + 0.5 * thump) * _ramp(t, 0.0, 0.0006)
    return x / (np.max(np.abs(x)) or 1.0)


def _bang(rng, rate: int, seconds: float) -> np.ndarray:
    """An explosion: a crack, a roar whose brightness falls away, a sinking thump, a rumble."""
    n = _samples(rate, seconds)
    t = _time(n, rate)
    crack = _noise(rng, n, rate, 300, 9000) * _decay(t, 0.008)
    roar = _swept_noise(rng, n, rate, lambda s: 25.0, lambda s: 130 + 3200 * math.exp(-s / 0.09)) \
        * _decay(t, 0.24)
    sub_freq = 32 + 36 * np.exp(-t / 0.12)
    sub = np.sin(2 * np.pi * np.cumsum(sub_freq) / rate) * _decay(t, 0.2)
    rumble = _noise(rng, n, rate, 25, 180) * _decay(t, 0.45)
    x = (0.7 * crack + 1.0 * roar + 1.6 * sub + 0.35 * rumble) * _ramp(t, 0.0, 0.002)
    return x / (np.max(np.abs(x)) or 1.0)


def _brass(rate: int, freq: float, seconds: float, bright: float = 1.0, release: float = 0.2,
           attack: float = 0.035) -> np.ndarray:
    """A brass note held ``seconds``, then let go over ``release``. The upper harmonics
    follow a higher power of the loudness, so the note is brightest at its attack and
    darkens as it fades, as a horn does; ``bright`` below 1 darkens it throughout."""
    n = _samples(rate, seconds + release)
    t = _time(n, rate)
    swell = 1.0 + 0.15 * _decay(t, 0.06, attack)  # the blat of the tongued attack
    env = _ramp(t, 0.0, attack) * np.where(t < attack, 1.0, swell) * 0.87 \
        * (1.0 - _ramp(t, seconds, release))
    vibrato = 1.0 + 0.004 * np.sin(2 * np.pi * 5.2 * t) * _ramp(t, 0.18, 0.2)
    phase = 2 * np.pi * np.cumsum(freq * vibrato) / rate
    harmonics = max(1, min(16, int(min(6000.0, 0.45 * rate) // freq)))
    darken = env ** (0.45 / bright)  # harmonic k follows env * darken ** (k - 1)
    x = np.zeros(n)
    level = env.copy()
    # sin(k phase) by the recurrence sin(k a) = 2 cos(a) sin((k-1) a) - sin((k-2) a): one
    # sine and one cosine for all the harmonics.
    two_cos, before, now = 2.0 * np.cos(phase), np.zeros(n), np.sin(phase)
    for k in range(1, harmonics + 1):
        x += level * now / k
        level *= darken
        before, now = now, two_cos * now - before
    return x


def _bell(rate: int, base: float, seconds: float) -> np.ndarray:
    """A struck bell on ``base`` Hz (its hum): the partials of a cast bell, the low ones
    ringing longest, each a pair a little apart so that it beats as a real bell does."""
    n = _samples(rate, seconds)
    t = _time(n, rate)
    ratios = (1.0, 2.0, 2.4, 3.0, 4.0, 5.03, 5.34, 6.0, 8.0)
    amps = (0.3, 0.5, 0.45, 0.25, 1.0, 0.3, 0.25, 0.18, 0.1)
    taus = (1.0, 0.8, 0.6, 0.5, 0.55, 0.3, 0.25, 0.2, 0.12)
    beats = (0.7, 1.3, 2.1, 0.9, 1.6, 2.7, 3.1, 1.9, 4.3)  # Hz between the two of a pair
    x = np.zeros(n)
    for r, a, tau, beat in zip(ratios, amps, taus, beats):
        f = base * r
        x += a * (np.sin(2 * np.pi * f * t) + 0.4 * np.sin(2 * np.pi * (f + beat) * t)) \
            * _decay(t, tau)
    return x * _ramp(t, 0.0, 0.001)


# -- the effects ------------------------------------------------------------------------------
# Each takes its own generator and the sample rate, and returns mono or stereo samples; the
# registry below finishes them (fades, level) and fixes each one's loudness against the rest.

def _select(rng, rate):
    n = _samples(rate, 0.06)
    t = _time(n, rate)
    tick = np.sin(2 * np.pi * 1800 * t) * _decay(t, 0.006) \
        + 0.5 * np.sin(2 * np.pi * 3100 * t) * _decay(t, 0.004)
    snap = _noise(rng, n, rate, 2000, 8000) * _decay(t, 0.0015) * 0.15
    return tick + snap


def _move(rng, rate):
    """Tracks on the move: an engine's throb under the clank of track links."""
    n = _samples(rate, 0.55)
    t = _time(n, rate)
    engine = _noise(rng, n, rate, 25, 220) * (1.0 + 0.35 * np.sin(2 * np.pi * 24 * t))
    link_n = _samples(rate, 0.06)
    lt = _time(link_n, rate)
    clanks = np.zeros(n)
    at = 0.02
    while at < 0.48:
        ring = np.sin(2 * np.pi * 2600 * lt) + 0.6 * np.sin(2 * np.pi * 4100 * lt)
        link = _noise(rng, link_n, rate, 1800, 6000) * _decay(lt, 0.006) * 0.4 \
            + ring * _decay(lt, 0.014)
        _place(clanks, link * _ramp(lt, 0.0, 0.0005), at, rate, rng.uniform(0.5, 1.0))
        at += 0.07 + rng.uniform(-0.01, 0.01)
    x = 0.5 * engine + 0.45 * clanks
    return x * _ramp(t, 0.0, 0.07) * (1.0 - _ramp(t, 0.4, 0.15))


def _gunfire(rng, rate):
    """A ground fight: a near machine gun in bursts, another answering from further off, and
    a few single rifle shots, with the echo of open country."""
    buf = np.zeros((_samples(rate, 1.45), 2))
    # (start, shots, gap between shots, distance, gain, pan)
    bursts = ((0.00, 6, 0.072, 0.0, 1.0, -0.35), (0.32, 4, 0.095, 0.8, 0.5, 0.55),
              (0.62, 1, 0.0, 0.3, 0.7, 0.15), (0.71, 1, 0.0, 0.3, 0.6, 0.2),
              (0.82, 4, 0.072, 0.0, 0.85, -0.3), (1.02, 3, 0.095, 0.9, 0.4, 0.6))
    for start, shots, gap, distance, gain, pan in bursts:
        # A gun's shots sound alike, not the same: a few takes, drawn at random.
        takes = [_pan(_shot(rng, rate, distance), pan) for _ in range(min(shots, 3))]
        at = start
        for _ in range(shots):
            _place(buf, takes[rng.integers(len(takes))], at + rng.uniform(0.0, 0.006), rate,
                   gain * rng.uniform(0.85, 1.0))
            at += gap + rng.uniform(-0.008, 0.008)
    return _echo(rng, buf, rate, tau=0.11, wet=0.45)


def _air_strike(rng, rate):
    """A jet comes in from the left, its roar dropping in pitch as it passes over (Doppler)
    and sweeping as its echo off the ground closes in and draws away, and its bombs go off
    to the right."""
    n = _samples(rate, 1.5)
    t = _time(n, rate)
    over = 0.55  # when the jet passes overhead
    close = 1.0 / (1.0 + ((t - over) / 0.17) ** 2)
    gone = 1.0 - _ramp(t, 0.8, 0.3)
    centre = lambda s: 600.0 + 2400.0 / (1.0 + math.exp((s - over) / 0.08))  # noqa: E731
    hiss = _swept_noise(rng, n, rate, lambda s: 0.4 * centre(s), lambda s: 2.5 * centre(s))
    ground_echo = 0.0004 + 0.006 * np.abs(t - over)  # seconds behind the direct sound
    hiss = hiss + 0.8 * np.interp(np.arange(n) - ground_echo * rate, np.arange(n), hiss)
    roar = _noise(rng, n, rate, 50, 400) * (1.0 / (1.0 + ((t - over - 0.05) / 0.2) ** 2))
    whine_phase = 2 * np.pi * np.cumsum(1500 + 1100 / (1.0 + np.exp((t - over) / 0.08))) / rate
    whine = np.sin(whine_phase) + 0.4 * np.sin(2 * whine_phase)
    jet = (0.6 * hiss * close + 0.6 * roar + 0.3 * whine * close) * gone
    out = _pan(jet, 0.85 * np.tanh((t - over) / 0.2))
    _place(out, _pan(_bang(rng, rate, 0.68), 0.35), 0.8, rate, 1.8 * np.max(np.abs(jet)))
    return _echo(rng, out, rate, tau=0.15, wet=0.3)


def _blast(rng, rate):
    return _echo(rng, _bang(rng, rate, 1.0), rate, tau=0.2, wet=0.35)


def _town_taken(rng, rate):
    """A brass sting: a pick-up note, then a major chord held."""
    n = _samples(rate, 1.05)
    x = np.zeros(n)
    _place(x, _brass(rate, 392.0, 0.12, release=0.06), 0.0, rate, 0.8)  # G4
    for freq, gain in ((523.25, 1.0), (392.0, 0.7), (329.63, 0.6), (261.63, 0.7)):  # C5 G4 E4 C4
        _place(x, _brass(rate, freq, 0.55, release=0.3), 0.15, rate, gain)
    return x


def _turn_start(rng, rate):
    """A ship's bell, once."""
    x = _bell(rate, 392.0, 1.2)
    n = len(x)
    strike = _noise(rng, n, rate, 2000, 9000) * _decay(_time(n, rate), 0.002) * 0.1
    return x + strike


def _refused(rng, rate):
    """A soft low buzz that sinks a little: the order was not taken."""
    n = _samples(rate, 0.24)
    t = _time(n, rate)
    phase = 2 * np.pi * np.cumsum(118.0 - 50.0 * t) / rate
    amps = [(1.0 if k % 2 else 0.35) / k ** 1.4 for k in range(1, 15)]
    return _partial_sum(phase, amps) * _ramp(t, 0.0, 0.02) * (1.0 - _ramp(t, 0.15, 0.09))


def _victory(rng, rate):
    """A fanfare: a rising arpeggio to a held major chord."""
    x = np.zeros(_samples(rate, 1.5))
    for i, freq in enumerate((392.0, 523.25, 659.26)):  # G4 C5 E5
        _place(x, _brass(rate, freq, 0.11, release=0.05), 0.13 * i, rate, 0.8)
    for freq, gain in ((783.99, 0.9), (659.26, 0.6), (523.25, 0.7), (261.63, 0.8)):  # G5 E5 C5 C4
        _place(x, _brass(rate, freq, 0.7, release=0.35), 0.39, rate, gain)
    return x


def _defeat(rng, rate):
    """Low, dark brass falling to a minor chord."""
    x = np.zeros(_samples(rate, 1.5))
    for at, freq in ((0.0, 196.0), (0.3, 155.56)):  # G3, Eb3
        _place(x, _brass(rate, freq, 0.26, bright=0.6, attack=0.06, release=0.08), at, rate, 0.8)
    for freq, gain in ((130.81, 1.0), (155.56, 0.6), (196.0, 0.5)):  # C3 Eb3 G3
        _place(x, _brass(rate, freq, 0.55, bright=0.6, attack=0.06, release=0.3), 0.6, rate, gain)
    return x


# The effects by name, each with its loudest sample: the level they sound at against each
# other, set by ear-weighted (A-weighted) loudness: the fight and its blasts loudest, the
# brass of a town taken just under them, the turn's bell and a refused order soft enough to
# hear every turn, a click under all.
_RECIPES = {
    "select": (_select, 0.32),
    "move": (_move, 0.55),
    "gunfire": (_gunfire, 0.85),
    "air_strike": (_air_strike, 0.9),
    "blast": (_blast, 0.9),
    "town_taken": (_town_taken, 0.5),
    "turn_start": (_turn_start, 0.3),
    "refused": (_refused, 0.32),
    "victory": (_victory, 0.55),
    "defeat": (_defeat, 0.7),
}

#: Every effect ``Sounds.play`` knows.
EFFECTS = tuple(_RECIPES)


@functools.lru_cache(maxsize=None)
def waveform(name: str, rate: int = 44100) -> np.ndarray:
    """Effect ``name`` at ``rate`` samples a second: float32, shape (samples, 2), in [-1, 1].

    Made once per rate and kept; the array is read-only as it is shared."""
    make, peak = _RECIPES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))  # cosmetic, never the game's
    x = _finish(make(rng, rate), rate, peak)
    x.flags.writeable = False
    return x


def mixer_samples(wave: np.ndarray, size: int, channels: int) -> np.ndarray:
    """``wave`` (float stereo) as the mixer wants it: ``size`` is the sample format as
    ``pygame.mixer.get_init`` gives it (bits, negative when signed; 32 is float), and
    ``channels`` the speakers (a mono mixer gets both ears mixed; beyond two, the rest get
    nothing)."""
    if channels == 1:
        data = wave.mean(axis=1)
    else:
        data = np.zeros((len(wave), channels))
        data[:, :2] = wave
    data = np.clip(data, -1.0, 1.0)
    if size == 32:
        return np.ascontiguousarray(data, dtype=np.float32)
    bits = abs(size)
    if size < 0:
        full = 2 ** (bits - 1) - 1
        return np.ascontiguousarray(np.round(data * full), dtype=f"int{bits}")
    full = 2 ** bits - 1
    return np.ascontiguousarray(np.round((data + 1.0) * 0.5 * full), dtype=f"uint{bits}")


# -- playing ----------------------------------------------------------------------------------

class Sounds:
    """The game's sound effects, played at the volume of the player's settings.

    ``play`` never raises for want of a sound device: the first failure is said once on
    stderr and from then on every call is silent.
    """

    def __init__(self, settings, clock=time.monotonic):
        self.settings = settings
        self._clock = clock
        self._format: tuple[int, int, int] | None = None  # (frequency, size, channels)
        self._opened_mixer = False
        self._failed = False
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self._last_start: dict[str, float] = {}

    @property
    def silent(self) -> bool:
        """True once the mixer has failed: nothing will sound until the game restarts."""
        return self._failed

    def level(self, volume: float = 1.0) -> float:
        """The loudness a sound played now at ``volume`` would have, 0 to 1."""
        if self.settings.mute:
            return 0.0
        return min(1.0, max(0.0, self.settings.volume / 100.0 * float(volume)))

    def play(self, name: str, volume: float = 1.0, pan: float = 0.0):
        """Start effect ``name`` (one of ``EFFECTS``) at ``volume`` (0-1) of the player's
        volume, ``pan`` -1 (left) to 1 (right). Returns the channel it plays on, or None when
        nothing started: muted, volume 0, no sound device, every channel busy, or the same
        effect started less than ``REPEAT_GAP`` seconds ago."""
        if name not in _RECIPES:
            raise ValueError(f"no sound effect {name!r}; the effects are {', '.join(EFFECTS)}")
        level = self.level(volume)
        if level <= 0.0 or self._failed:
            return None
        now = self._clock()
        last = self._last_start.get(name)
        if last is not None and now - last < REPEAT_GAP:
            return None
        try:
            sound = self._sound(name)
            channel = pygame.mixer.find_channel()
            if channel is None:
                return None
            if pan:
                pan = min(1.0, max(-1.0, float(pan)))
                channel.set_volume(level * min(1.0, 1.0 - pan), level * min(1.0, 1.0 + pan))
            else:
                channel.set_volume(level)
            channel.play(sound)
        except (pygame.error, OSError, NotImplementedError, ValueError, TypeError) as exc:
            self._give_up(exc)
            return None
        self._last_start[name] = now
        return channel

    def prepare(self, names=EFFECTS) -> None:
        """Open the mixer and make ``names`` now, so the first of them played later does not
        wait for its synthesis (a few milliseconds each). Does nothing when muted."""
        if self.settings.mute or self._failed:
            return
        try:
            for name in names:
                self._sound(name)
        except (pygame.error, OSError, NotImplementedError, ValueError, TypeError) as exc:
            self._give_up(exc)

    def close(self) -> None:
        """Let go of the sounds, and of the mixer if it was opened here; a later ``play``
        opens it again."""
        self._sounds.clear()
        if self._opened_mixer:
            try:
                pygame.mixer.quit()
            except (pygame.error, NotImplementedError):
                pass
        self._opened_mixer = False
        self._format = None

    # -- inside ---------------------------------------------------------------------------

    def _open(self) -> tuple[int, int, int] | None:
        if self._format is None:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(**MIXER_REQUEST)
                self._opened_mixer = True
            got = pygame.mixer.get_init()
            if got is None:
                raise pygame.error("the mixer did not start")
            if pygame.mixer.get_num_channels() < MIXER_CHANNELS:
                pygame.mixer.set_num_channels(MIXER_CHANNELS)
            self._format = got
        return self._format

    def _sound(self, name: str):
        sound = self._sounds.get(name)
        if sound is None:
            frequency, size, channels = self._open()
            samples = mixer_samples(waveform(name, frequency), size, channels)
            sound = self._sounds[name] = pygame.sndarray.make_sound(samples)
        return sound

    def _give_up(self, exc: BaseException) -> None:
        self._failed = True
        self._sounds.clear()
        print(f"mesopotamia: no sound ({exc})", file=sys.stderr)


__all__ = ["EFFECTS", "MIXER_REQUEST", "REPEAT_GAP", "Sounds", "mixer_samples", "waveform"]
