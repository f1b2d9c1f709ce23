"""The AI player: candidate actions scored on influence maps, issued as ordinary commands.

Engine layer. An ``AIPlayer`` plays one side. Each turn it reads that side's ``SideView``
(never the game state), builds its maps (``game.ai.maps``) into a ``Situation`` (what it
knows of the turn and has decided so far), and then plays its candidate actions in the manner
of Wesnoth's RCA AI: each ``CandidateAction`` has a ``score`` and an ``execute`` that yields
typed commands, and the best-scoring one is carried out until none scores above zero. They
are (``CANDIDATE_ACTIONS``, in the order their scores give): air missions, naval strikes,
garrisons for the towns it must hold, walking into the empty towns it wants, reinforcing
besieged towns (each keeping a unit beside it, its way back open, and its worn garrison
relieved), attacks at good odds (several units together, with close air support), strikes by
the wings left over, garrisons breaking out of a closing ring, filling the empty towns it
must hold and those an enemy must, moves toward its goals that weigh threat, supply and the
ways back out of a hex (it keeps out of pockets, and broken units fall back), digging in.
Every action is a command sent through the same door as a player's (``game.ai.driver``
carries them out); the AI learns what happened from the command's result.

Air power: wings patrol the side's no-fly zones, one patrol for each hostile wing that could
reach a zone (the rest stand on alert there anyway). The others wait until the attacks are
planned: an attack whose odds are short, or only just enough, calls in the nearest wings as
close air support, as many as lift it to good odds, and none where even all of them could not
make the odds it needs. Wings no attack called for strike where they hurt most.

Difficulty changes how well it plays, not its units: ``easy`` orders units one by one with
noisy judgement, attacks alone, ignores threat and supply and flies no close air support;
``normal`` gathers attacks, moves units up to join them, calls in close air support, weighs
threat and supply, and orders a costly assault on an objective only where it pays; ``hard``
judges without noise and waits for odds a little better than its doctrine's (0.2 more) before
it attacks, so that it throws away fewer men on attacks that fail.

The time budget (``budget_s``) is for the window, where a person waits: past it the AI stops
thinking and ends its turn with what it has done. Headless play passes ``None`` and thinks
every turn through, so that a seed gives the same game on any machine, however busy.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from game.ai.aims import ALL, Aims, aims_for
from game.ai.doctrine import doctrine_for
from game.ai.maps import build_maps, road_distances, unit_power, update_forces
from game.air import (
    AirMission,
    NavalStrike,
    air_defence_of,
    air_range,
    combat_aircraft,
    shot_down_chance,
)
from game.combat import Attack, combat_params
from game.commands import EndTurn, Entrench, Move
from game.hexgrid import DIRECTIONS, Hex
from game.movement import find_path, map_graph, obstacles_for, reach


@dataclass(frozen=True)
class Level:
    name: str
    noise: float  # spread of random error in its judgement of a hex
    gather: bool  # several units attack together
    close_in: bool  # units move up to join an attack
    threat_aware: bool
    supply_aware: bool
    cas: bool  # asks for close air support before attacking
    odds_shift: float  # added to the doctrine's lowest odds
    retreat: bool  # pulls broken units back
    weighs_losses: bool  # orders a costly assault only where it pays (``_assault_pays``)


LEVELS = {
    "easy": Level(
        "easy",
        noise=0.6,
        gather=False,
        close_in=False,
        threat_aware=False,
        supply_aware=False,
        cas=False,
        odds_shift=-0.4,
        retreat=False,
        weighs_losses=False,
    ),
    "normal": Level(
        "normal",
        noise=0.1,
        gather=True,
        close_in=True,
        threat_aware=True,
        supply_aware=True,
        cas=True,
        odds_shift=0.0,
        retreat=True,
        weighs_losses=True,
    ),
    "hard": Level(
        "hard",
        noise=0.0,
        gather=True,
        close_in=True,
        threat_aware=True,
        supply_aware=True,
        cas=True,
        odds_shift=0.2,
        retreat=True,
        weighs_losses=True,
    ),
}
DIFFICULTIES = tuple(LEVELS)

# The chance of losing each aircraft at which a mission is not worth flying, for an air force
# with doctrine spare_troops 0; one that spares its people more divides it by (1 + spare_troops):
# 2% an aircraft for the coalition's Western air forces, which lost few aircraft in tens of
# thousands of sorties, 4% for one sparing its people as most do. So the US still strikes
# under one air defence battalion, not under two that overlap (a dense belt).
AIR_RISK_LIMIT = 0.08


class _ThinkingClock:
    """The processor time one thread spends thinking, between ``stop`` and ``start``."""

    def __init__(self):
        self._spent = 0.0
        self._since: float | None = time.thread_time()

    def stop(self) -> None:
        if self._since is not None:
            self._spent += time.thread_time() - self._since
            self._since = None

    def start(self) -> None:
        self._since = time.thread_time()

    def seconds(self) -> float:
        now = time.thread_time() - self._since if self._since is not None else 0.0
        return self._spent + now


def _rng_for(view, side: str) -> np.random.Generator:
    """The AI's own generator: its choices depend only on what it sees, never on the game's dice."""
    key = hashlib.sha256(f"{side}:{view.turn}:{len(view.units)}".encode()).digest()
    return np.random.default_rng(int.from_bytes(key[:8], "little"))


class AIPlayer:
    def __init__(
        self,
        side: str,
        hexmap,
        rules,
        goals: list[dict],
        difficulty: str = "normal",
        budget_s: float | None = 2.5,
        plans: list[dict] | None = None,
    ):
        if difficulty not in LEVELS:
            raise ValueError(f"unknown difficulty {difficulty!r}; choose {', '.join(LEVELS)}")
        self.side = side
        self.map = hexmap
        self.rules = rules
        self.graph = map_graph(hexmap)
        self.victory = list(goals)
        self.plans = list(plans or [])
        self.goals = self.victory
        # The towns the side's own take and hold conditions name (and its plans, once the turn
        # says which are in force: ``_take_aims``).
        self.own_goals = frozenset(
            c for g in goals if g["side"] == side and g["kind"] in ("take", "hold") for c in g["cities"]
        )
        self.aims = Aims(goals=self.goals)
        self._pulls: dict[str, np.ndarray] = {}
        self.difficulty = difficulty
        self.level = LEVELS[difficulty]
        self.budget = budget_s

    # The turn is a generator: it yields commands and is sent back their results.
    def turn(self, view_fn, preview_fn):
        """Play one turn. The time budget counts this player's own thinking only: the time a
        command spends being carried out (and shown, in the window) is not charged to it, and
        neither is time spent waiting for the processor, so a busy window does not make it
        play worse."""
        clock = _ThinkingClock()
        gen = self._think(view_fn, preview_fn, clock)
        try:
            cmd = next(gen)
            while True:
                clock.stop()
                res = yield cmd
                clock.start()
                cmd = gen.send(res)
        except StopIteration:
            return
        finally:
            gen.close()

    def _think(self, view_fn, preview_fn, clock):
        """The turn as Wesnoth's RCA AI plays one: of the candidate actions
        (``CANDIDATE_ACTIONS``), the one that scores best is carried out, again and again,
        until none scores above zero (or the time budget is spent); then the turn ends."""
        s = Situation(self, view_fn, preview_fn, clock)
        actions = [cls(self) for cls in CANDIDATE_ACTIONS]
        while not s.out_of_time():
            best = max(actions, key=lambda a: a.score(s))
            if best.score(s) <= 0:
                break
            best.done = True
            yield from best.execute(s)
        yield EndTurn(self.side)

    def _fill(self, s: Situation, towns, theirs: bool):
        """Send the nearest fit unit into each empty town: its side's own, to hold, or
        (``theirs``) an enemy's, to take without a fight."""
        for cid in towns:
            if s.out_of_time():
                break
            town = self.map.city_by_id(cid).hex
            owner = s.view.city_owner.get(cid)
            ours = owner is not None and s.view.side_of(owner) == self.side
            if ours == theirs:  # a town no one holds is there to take
                continue
            best = None
            for u in s.ground:
                if (
                    u.done
                    or u.id in s.acted
                    or u.id in s.garrison
                    or u.moves_left <= 0
                    or u.id not in s.own
                    or not self.rules.unit_type(u.type).zoc
                ):
                    continue
                if theirs and not self._at_war(u.faction, owner):
                    continue
                if self.aims.avoids(u.faction, town):
                    continue
                if u.morale is not None and u.morale < s.doctrines[u.faction].retreat_morale:
                    continue  # a broken unit would only panic again: it falls back instead
                if u.hex.distance(town) > self.rules.unit_type(u.type).movement:
                    continue
                found = find_path(
                    self.graph, self.rules, u, town, self._obstacles(u, s.known()), self._bases(u.faction)
                )
                if found and (best is None or found[1] < best[1][1]):
                    best = (u, found)
            if best is None:
                continue
            u, (path, _) = best
            res = yield Move(self.side, u.id, path)
            if _moved(u, res):
                u.done = True
                s.garrison.add(u.id)
                if any(e.reveals for e in res.events):
                    s.refresh()

    # -- pieces ------------------------------------------------------------------------------

    def _urgency(self, view) -> float:
        """How pressed the side is for time: 0 through the first half of the game, rising to
        1 on its last turn, for a side that can win only by taking towns (a draw is no better
        to it than a defeat); always 0 for a side with something to hold or survive."""
        mine = [g for g in self.victory if g["side"] == self.side]
        if not mine or any(g["kind"] != "take" for g in mine) or view.end_turn <= 1:
            return 0.0
        left = (view.end_turn - view.turn) / (view.end_turn - 1)
        return float(min(1.0, max(0.0, 2.0 * (0.5 - left))))

    def _take_aims(self, view) -> None:
        """What the side is after this turn: its victory conditions as its plans shape them,
        and the towns it holds that another side wins by taking: those it must hold, whatever
        its own conditions say (an enemy's "take" ends the game the moment it is met)."""
        if self.plans:
            self.aims = aims_for(self.side, self.victory, self.plans, view, self.map)
            self._pulls = {}
        goals = list(self.aims.goals)
        theirs = [
            c for g in self.victory if g["side"] != self.side and g["kind"] == "take" for c in g["cities"]
        ]
        mine = [
            c
            for c in dict.fromkeys(theirs)
            if view.city_owner.get(c) is not None and view.side_of(view.city_owner[c]) == self.side
        ]
        if mine:
            goals.append({"side": self.side, "kind": "hold", "cities": mine, "implied": True})
        self.goals = goals
        self.own_goals = frozenset(
            c
            for g in self.goals
            if g["side"] == self.side and g["kind"] in ("take", "hold")
            for c in g["cities"]
        )

    def _pull(self, faction: str, maps) -> np.ndarray:
        """The draw of a faction's own plans' towns (the side's objective map for it alone):
        a town to take while another side holds it, one to hold while the side does."""
        cache = self._pulls
        if faction not in cache:
            towns = []
            for g in self.aims.pulls[faction]:
                for cid in g["cities"]:
                    i = self.graph.index(self.map.city_by_id(cid).hex)
                    ours = any(h[0] == i for h in maps.holds)
                    if (g["kind"] == "take") != ours:
                        towns.append((i, (12.0 if g["kind"] == "take" else 9.0) * g["weight"]))
            out = np.zeros(self.graph.n)
            if towns:
                dist = road_distances(self.map, self.rules, [t[0] for t in towns], 240.0)
                for k, (_, value) in enumerate(towns):
                    np.maximum(out, value / (1.0 + dist[k] / 20.0), out=out)
            cache[faction] = out
        return cache[faction]

    def _side_avoids(self, view) -> frozenset:
        """Hexes no faction of the side may go into: they are no target for the side."""
        sets = [self.aims.avoid.get(f, frozenset()) for f in view.own_factions]
        common = frozenset.intersection(*sets) if sets else frozenset()
        return self.aims.avoid.get(ALL, frozenset()) | common

    def _avoided(self, faction: str) -> np.ndarray:
        """Flat indices of the hexes a faction's units keep out of."""
        hexes = (
            self.aims.hold_off
            | self.aims.avoid.get(ALL, frozenset())
            | self.aims.avoid.get(faction, frozenset())
        )
        return np.fromiter((self.graph.index(h) for h in hexes if self.map.in_bounds(h)), dtype=np.int64)

    def _target_value(self, hex_i: int, defenders, maps) -> float:
        city = self.map.city_at(self.graph.hex(hex_i))
        value = 1.0 + sum(unit_power(self.rules, d) for d in defenders) * 0.1
        if city is not None:
            value += next((v for i, v, _ in maps.targets if i == hex_i), 1.0)
        return value - 0.2 * sum(unit_power(self.rules, d) for d in defenders)

    def _sally(self, ground, garrison, target: Hex) -> set[str]:
        """Garrison units beside ``target`` that may join an assault on it: in each town next
        to it, every fighting unit but the strongest, which stays whatever happens (the
        advance after a won assault takes the strongest attacker into the town taken)."""
        by_hex: dict[Hex, list] = {}
        for u in ground:
            if u.id in garrison and u.hex.distance(target) == 1 and self.rules.unit_type(u.type).zoc:
                by_hex.setdefault(u.hex, []).append(u)
        out: set[str] = set()
        for units in by_hex.values():
            units.sort(key=lambda u: (-u.personnel, u.id))
            out.update(u.id for u in units[1:])
        return out

    def _movers_for(self, target: Hex, ground, acted, known) -> list:
        out = []
        tq, tr = target.q, target.r
        for u in ground:
            if u.id in acted or u.done or u.moves_left <= 0:
                continue
            dq, dr = u.hex.q - tq, u.hex.r - tr
            d = max(abs(dq), abs(dr), abs(dq + dr))  # hex distance, asked of every unit
            if d <= 1:
                continue
            ut = self.rules.unit_type(u.type)
            if not ut.zoc or d > ut.movement + 1:
                continue
            if (u.morale or 70) < 35:
                continue
            out.append((d, u))
        out.sort(key=lambda du: du[0])
        return [u for _, u in out[:3]]

    def _obstacles(self, u, known):
        obs = obstacles_for(self.graph, self.rules, u, known, self._at_war, self._side_of)
        if self.aims.avoid or self.aims.hold_off:
            # Where a plan keeps the unit out, no path of its runs (a town on the way would be
            # taken in passing); the hex it stands in it may leave.
            obs.enemy |= set(self._avoided(u.faction).tolist()) - {self.graph.index(u.hex)}
        return obs

    def _hold_door(self, s: Situation, town: Hex, near):
        """Hold the hex beside a besieged ``town`` that the enemy threatens least with the first
        of the units ``near`` it that can get there, unless a unit of the side is beside it."""
        ground = self.rules.unit_type
        beside = [n for n in town.neighbors() if self.map.in_bounds(n)]
        units = s.known()
        if any(
            x.hex in beside and self._side_of(x.faction) == self.side and ground(x.type).is_ground
            for x in units
        ):
            return
        foes = {x.hex for x in units if self._side_of(x.faction) != self.side and ground(x.type).is_ground}
        doors = sorted(
            (n for n in beside if n not in foes), key=lambda n: (s.maps.threat[self.graph.index(n)], n.q, n.r)
        )
        for u in near:
            if u.done or u.hex in beside:
                continue
            for n in doors[:2]:
                found = find_path(
                    self.graph, self.rules, u, n, self._obstacles(u, s.known()), self._bases(u.faction)
                )
                if not found or found[0][-1] != n:
                    continue
                res = yield Move(self.side, u.id, found[0])
                if res.ok and any(e.reveals for e in res.events):
                    s.refresh()
                if _moved(u, res) and u.hex == n:
                    u.done = True
                    s.garrison.add(u.id)
                    return
                break  # it went where it could: the next unit tries

    def _free_neighbour(self, target: Hex, u, known) -> list[Hex] | None:
        ways = reach(self.graph, self.rules, u, self._obstacles(u, known), self._bases(u.faction))
        best = None
        for n in target.neighbors():
            if not self.map.in_bounds(n):
                continue
            found = ways.path(n)
            if found and (best is None or found[1] < best[1]):
                best = found
        return best[0] if best else None

    def _choose_hex(self, u, maps, doctrine, known, rng, force_back: bool = False) -> list[Hex] | None:
        ways = reach(self.graph, self.rules, u, self._obstacles(u, known), self._bases(u.faction))
        ends = ways.ends()
        if not ends:
            return None
        idx = np.array(ends, dtype=np.int64)
        start = ways.start
        cand = np.append(idx, start)
        power = max(unit_power(self.rules, u), 0.5)
        score = maps.objective[cand] * doctrine.aggression
        if u.faction in self.aims.pulls:
            score = np.maximum(score, self._pull(u.faction, maps)[cand] * doctrine.aggression)
        broken = (
            force_back or (u.morale is not None and u.morale < doctrine.retreat_morale) or u.supplied is False
        )
        if self.level.threat_aware:
            danger = np.maximum(0.0, maps.threat[cand] - maps.strength[cand] * 0.5) / power
            score = score - doctrine.caution * (3.0 if broken else 1.0) * np.minimum(danger, 10.0)
            # A pocket: where an enemy that could beat the unit would find no way for it to fall
            # back (or only one, that one more enemy closes), a beaten unit is taken prisoner,
            # all of it, not thrown back a hex.
            exits = maps.exits[cand]
            if maps.zoc[start] and len(maps.own_hexes.get(start, ())) == 1:
                # The unit alone holds open the enemy zone it stands in: gone, it closes.
                exits = exits - np.isin(cand, self.graph.nbr[start])
            pocket = np.where(exits <= 0, 6.0, np.where(exits == 1, 2.0, 0.0))
            score = score - doctrine.caution * (3.0 if broken else 1.0) * pocket * np.minimum(danger, 1.0)
            terrain_def = np.array([self.rules.terrain[t].defence for t in self.graph.terrain[cand]])
            score = score + (maps.threat[cand] > 0) * (terrain_def - 1.0)
        if self.level.supply_aware:
            score = score + np.where(maps.supply[cand], 0.0, -6.0 if broken else -2.5)
        if doctrine.desert:
            score = score + doctrine.desert * (self.graph.terrain[cand] == 3) * 0.5
        if broken and self.level.retreat:
            # Out of contact first: a broken unit next to the enemy panics and loses men.
            foes = [
                x.hex
                for x in known
                if self._at_war(u.faction, x.faction)
                and self.rules.unit_type(x.type).is_ground
                and x.hex.distance(u.hex) <= 6
            ]
            if foes:
                fq = np.array([h.q for h in foes])[:, None]
                fr = np.array([h.r for h in foes])[:, None]
                dq, dr = self.graph.q[cand][None, :] - fq, self.graph.r[cand][None, :] - fr
                near = (np.maximum(np.maximum(np.abs(dq), np.abs(dr)), np.abs(dq + dr)) <= 1).any(axis=0)
                score = score - 8.0 * near - maps.objective[cand] * doctrine.aggression
            hold_value = np.zeros_like(score)
            for i, _, _ in maps.holds[:10]:
                d = np.maximum(
                    np.abs(self.graph.q[cand] - self.graph.q[i]), np.abs(self.graph.r[cand] - self.graph.r[i])
                )
                hold_value = np.maximum(hold_value, 3.0 / (1.0 + d))
            score = score + hold_value
        if self.level.noise:
            score = score + rng.normal(0.0, self.level.noise, size=score.size) * (np.abs(score) + 1.0)
        if self.aims.avoid or self.aims.hold_off:
            # Where a plan keeps the faction out, it does not go (it may leave, if it is there).
            score = np.where(np.isin(cand, self._avoided(u.faction)) & (cand != start), -np.inf, score)
        best = int(np.argmax(score))
        if cand[best] == start or score[best] <= score[-1] + 0.05:
            return None
        found = ways.path(self.graph.hex(int(cand[best])))
        return found[0] if found else None

    def _garrisons(self, view, maps, own, doctrines) -> set[str]:
        """Units that stay to hold a town: the towns the scenario asks the side to hold keep two
        fighting units (all of them when threatened); other towns one (two when threatened),
        while each faction's doctrine share of its army lasts."""
        keep: set[str] = set()
        by_hex: dict[int, list] = {}
        for u in own.values():
            if self.rules.unit_type(u.type).is_ground:
                by_hex.setdefault(self.graph.index(u.hex), []).append(u)
        # Each faction keeps its own doctrine's share of its army in the towns it holds.
        count: dict[str, int] = {}
        for v in by_hex.values():
            for u in v:
                count[u.faction] = count.get(u.faction, 0) + 1
        budget = {f: max(1, int(doctrines[f].hold_cities * n)) for f, n in count.items()}
        for i, _, cid in maps.holds:
            here = by_hex.get(i, [])
            if not here:
                continue
            threatened = maps.threat[i] > 0.5 * maps.strength[i]
            fighters = sorted(
                (u for u in here if self.rules.unit_type(u.type).zoc), key=lambda x: -x.personnel
            )
            support = [u for u in here if not self.rules.unit_type(u.type).zoc]
            if cid in self.own_goals:
                chosen = fighters if threatened else fighters[:2]
            else:
                chosen = [u for u in fighters if budget[u.faction] > 0][: 1 + int(threatened)]
            # Guns stay to stiffen a threatened garrison; otherwise they go with the army,
            # whose attacks they support from two hexes away.
            keep.update(u.id for u in chosen + (support if threatened or cid in self.own_goals else []))
            if cid not in self.own_goals:
                for u in chosen:
                    budget[u.faction] -= 1
        return keep

    def _relieve(self, s: Situation):
        """Relief in place: in each town the side must hold, a garrison unit worn down near to
        breaking (its morale under the doctrine's retreat level plus 20) steps out to recover
        and the nearest fresh unit (morale 60 or more, and 30 above the worn one's) that can get
        in this turn takes its place. A stack whose morale breaks runs from the town; one
        relieved in time stands. The garrison of a town the scenario does not ask for may be
        the relief."""
        wear = 20.0
        # The towns' owners as the relief began; the rest as the side sees it at each order.
        view, own, ground, garrison, acted, doctrines = (
            s.view,
            s.own,
            s.ground,
            s.garrison,
            s.acted,
            s.doctrines,
        )
        spare = self._spare_garrisons(own, garrison)
        for cid in dict.fromkeys(
            c for g in self.goals if g["side"] == self.side and g["kind"] == "hold" for c in g["cities"]
        ):
            if s.out_of_time():
                return
            town = self.map.city_by_id(cid).hex
            owner = view.city_owner.get(cid)
            if owner is None or view.side_of(owner) != self.side:  # a town no one holds too
                continue
            here = [u for u in ground if u.hex == town and u.id in own]
            worn = sorted(
                (
                    u
                    for u in here
                    if u.morale is not None
                    and self.rules.unit_type(u.type).zoc
                    and u.morale < doctrines[u.faction].retreat_morale + wear
                ),
                key=lambda u: (u.morale, u.id),
            )
            for old in worn:
                if old.moves_left <= 0:
                    continue
                fresh = None
                others = [x for x in s.known() if x.id != old.id]  # its place is free
                for u in ground:
                    if (
                        u.hex == town
                        or u.done
                        or u.id in acted
                        or (u.id in garrison and u.id not in spare)
                        or u.moves_left <= 0
                        or u.id not in own
                        or not self.rules.unit_type(u.type).zoc
                        or u.morale is None
                        or u.morale < max(60.0, old.morale + 30.0)
                        or u.hex.distance(town) > self.rules.unit_type(u.type).movement
                    ):
                        continue
                    found = find_path(
                        self.graph, self.rules, u, town, self._obstacles(u, others), self._bases(u.faction)
                    )
                    if found and (fresh is None or (found[1], -u.morale) < (fresh[1][1], -fresh[0].morale)):
                        fresh = (u, found)
                if fresh is None:
                    continue
                back = self._choose_hex(
                    old, s.maps, doctrines[old.faction], s.known(), s.rng, force_back=True
                )
                if back is None:
                    continue
                res = yield Move(self.side, old.id, back)
                if not _moved(old, res) or old.hex == town:
                    continue
                old.done = True
                acted.add(old.id)
                garrison.discard(old.id)
                u, (path, _) = fresh
                res = yield Move(self.side, u.id, path)
                if _moved(u, res) and u.hex == town:
                    u.done = True
                    garrison.add(u.id)
                if res.ok and any(e.reveals for e in res.events):
                    s.refresh()

    def _breakouts(self, maps, own, garrison, goal_towns) -> set[str]:
        """Garrison units of towns no side's victory asks for that the enemy is closing round:
        in its zone of control, with two ways out or fewer, and more than twice the side's
        power able to reach the town. Every unit of such a stack falls back."""
        out = set()
        for gid in garrison:
            u = own[gid]
            city = self.map.city_at(u.hex)
            if city is None or city.id in goal_towns:
                continue
            i = self.graph.index(u.hex)
            if maps.zoc[i] and maps.exits[i] <= 2 and maps.threat[i] > 2.0 * maps.strength[i]:
                out.add(gid)
        return out

    def _spare_garrisons(self, own, garrison) -> set[str]:
        """Garrison units of towns the scenario does not ask the side to hold or take: a town
        the phase is won by comes first."""
        out = set()
        for gid in garrison:
            city = self.map.city_at(own[gid].hex) if gid in own else None
            if city is not None and city.id not in self.own_goals:
                out.add(gid)
        return out

    def _threatened_holds(self, view, maps, own) -> list[str]:
        """Towns the scenario asks the side to hold, held by it, with a garrison in them and
        more enemy power able to reach them than the side has around them; most threatened
        first."""
        out = []
        held = {u.hex for u in own.values() if self.rules.unit_type(u.type).is_ground}
        for g in self.goals:
            if g["side"] != self.side or g["kind"] != "hold":
                continue
            for cid in g["cities"]:
                owner = view.city_owner.get(cid)
                h = self.map.city_by_id(cid).hex
                if owner is None or view.side_of(owner) != self.side or h not in held:
                    continue
                i = self.graph.index(h)
                if maps.threat[i] > maps.strength[i] and cid not in out:
                    out.append(cid)
        return sorted(out, key=lambda c: -maps.threat[self.graph.index(self.map.city_by_id(c).hex)])

    def _empty_goal_towns(self, view, own, enemies: bool = False) -> list[str]:
        """Towns the scenario asks the side to hold or take with no unit seen in them: its own,
        to fill, and those of an enemy, to walk into. With ``enemies``, instead the towns it
        asks an enemy side to hold that the enemy holds and has left empty: an objective
        left empty is a victory given away."""
        goals = [
            c
            for g in self.goals
            if g["side"] == self.side and g["kind"] in ("hold", "take")
            for c in g["cities"]
        ]
        theirs = {}
        if enemies:
            theirs = {
                c: g["side"]
                for g in self.goals
                if g["side"] != self.side and g["kind"] == "hold"
                for c in g["cities"]
                if c not in goals
            }
            goals = list(theirs)
        occupied = {u.hex for u in own.values() if self.rules.unit_type(u.type).is_ground}
        occupied |= {u.hex for u in view.units if not u.own and self.rules.unit_type(u.type).is_ground}
        mine = [f for f in view.own_factions]
        out = []
        for cid in dict.fromkeys(goals):
            owner = view.city_owner.get(cid)
            if owner is None or self.map.city_by_id(cid).hex in occupied:
                continue
            if enemies and view.side_of(owner) != theirs[cid]:
                continue  # a third party's town is not that side's to lose
            if view.side_of(owner) == self.side or any(self._at_war(f, owner) for f in mine):
                out.append(cid)
        return out

    def _is_base(self, view, wing, h: Hex) -> bool:
        """A town the side holds or a hex of the faction's base countries (the rule of game.air)."""
        city = self.map.city_at(h)
        if city is not None:
            owner = view.city_owner.get(city.id)
            if owner is not None and view.side_of(owner) == self.side:
                return True
        return self.map.country_at(h) in view.own_factions[wing.faction]["bases"]

    def _rebase(self, view, wing):
        """Send a wing that stands off base to the nearest base it can reach."""
        reach = self.rules.unit_type(wing.type).movement
        best = None
        for c in self.map.cities:
            d = c.hex.distance(wing.hex)
            if 0 < d <= reach and self._is_base(view, wing, c.hex) and (best is None or d < best[0]):
                best = (d, c.hex)
        if best is None:
            return None
        path = [wing.hex]
        while path[-1] != best[1]:
            path.append(min(path[-1].neighbors(), key=lambda h: (h.distance(best[1]), h.q, h.r)))
        return Move(self.side, wing.id, path)

    def _air_mission(self, view, maps, wing, doctrine, patrols: dict):
        if doctrine.air_use <= 0:
            return None
        if not self._is_base(view, wing, wing.hex):
            return self._rebase(view, wing)
        patrol = self._patrol(view, wing, patrols)
        if patrol is not None:
            return patrol
        reach = air_range(self.rules, wing)
        air = self.rules.air
        banned = self._banned_sky(view, doctrine)
        # Aircraft are few and not replaced: an air force weighs the chance of losing them
        # over a target as it weighs its soldiers' lives (doctrine ``spare_troops``). A
        # strike's worth falls in proportion to that chance and is gone where it reaches
        # AIR_RISK_LIMIT / (1 + spare_troops).
        quality = view.own_factions[wing.faction]["quality"]
        aversion = (1.0 + doctrine.spare_troops) / AIR_RISK_LIMIT
        # The guns seen that reach beyond their own hex (air defence units, warships); the
        # others fire only over the hex they stand on.
        guns = [
            u
            for u in view.other_units()
            if self._at_war(wing.faction, u.faction) and self.rules.unit_type(u.type).air_defence_range > 0
        ]
        best, best_value = None, 0.0
        for i, units in maps.enemy_hexes.items():
            h = self.graph.hex(i)
            if (h.q, h.r) in banned:
                continue
            d = h.distance(wing.hex)
            if d > reach:
                continue
            units = [
                u
                for u in units
                if self._at_war(wing.faction, u.faction) and self.rules.unit_type(u.type).is_ground
            ]
            if not units:
                continue
            strength, _ = air_defence_of(
                self.rules,
                guns + [u for u in units if self.rules.unit_type(u.type).air_defence_range == 0],
                h,
            )
            keep = 1.0 - shot_down_chance(self.rules, strength, quality) * aversion
            if keep <= 0:
                continue
            # What the bombs would do: the power they find, less where it is under cover or
            # dug in (troops in the open are the ones a strike hurts most).
            cover = air.cover.get(self.map.terrain_at(h), 1.0)
            value = (
                sum(
                    unit_power(self.rules, u)
                    * (doctrine.strike_first_weight if u.faction in doctrine.strike_first else 1.0)
                    / (1.0 + air.strike.entrenchment_cover * (u.entrenchment or 0))
                    for u in units
                )
                * cover
                * doctrine.air_use
                * keep
            )
            value -= 0.02 * d
            if value > best_value:
                best, best_value = h, value
        if best is None:
            return None
        return AirMission(self.side, wing=wing.id, mission="strike", target=best)

    def _zone_threats(self, view) -> dict:
        """For each of the side's own no-fly zones, the hostile wings it can see that could fly
        into it: ``{zone id: [wings still to match with a patrol]}``. A patrol is flown for
        each of them; the wings left on the ground stand on alert over the zone anyway."""
        hostile = [
            u
            for u in view.other_units()
            if self.rules.unit_type(u.type).category == "air"
            and any(self._at_war(f, u.faction) for f in view.own_factions)
        ]
        out = {}
        for zone in view.no_fly_zones:
            if zone["side"] != self.side or not hostile:
                continue
            hexes = [Hex(*h) for h in zone["hexes"]]
            # a wing's tankers stretch its reach by up to 60% (rules: air.toml [range])
            out[zone["id"]] = [
                u.id
                for u in hostile
                if min(h.distance(u.hex) for h in hexes) <= self.rules.unit_type(u.type).movement * 1.6
            ]
        return out

    def _patrol(self, view, wing, patrols: dict):
        """A patrol over one of the side's own no-fly zones that a hostile wing could reach and
        that has not yet a patrol for each such wing (``patrols``, from ``_zone_threats``,
        counts down as patrols are flown)."""
        reach = air_range(self.rules, wing)
        for zone in view.no_fly_zones:
            if zone["side"] != self.side or not patrols.get(zone["id"]):
                continue
            spots = [Hex(*h) for h in zone["hexes"] if Hex(*h).distance(wing.hex) <= reach]
            if spots:
                patrols[zone["id"]] = patrols[zone["id"]][1:]
                spot = spots[len(spots) // 2]
                return AirMission(self.side, wing=wing.id, mission="patrol", target=spot)
        return None

    def _banned_sky(self, view, doctrine) -> set:
        """Hexes of enemy no-fly zones a cautious air force keeps out of."""
        banned = set()
        if doctrine.nfz_risk < 0.5:
            for z in view.no_fly_zones:
                if z["side"] != self.side:
                    banned |= {tuple(h) for h in z["hexes"]}
        return banned

    def _call_support(
        self, view, on_call, target: Hex, ratio: float, need: float, want: float, doctrines, defenders
    ) -> list:
        """The wings to send as close air support over ``target`` for an attack at ``ratio``:
        the nearest wings in range that are at war with its ``defenders``, as many as lift it to
        the odds ``want`` (with a margin for aircraft lost on the way), and none at all if every
        one of them could not lift it to the odds ``need`` it must have. A wing stays home where
        the air defence it sees over the target would shoot down more than its air force
        risks (the limit of ``_air_mission``)."""
        if ratio <= 0 or need / ratio > (p := combat_params(self.rules)).air_max:
            return []
        lift = min(p.air_max, max(want / ratio * 1.1, 1.0))
        aircraft_needed = (lift - 1.0) / p.air_per_aircraft

        def too_costly(w) -> bool:
            enemies = [u for u in view.other_units() if self._at_war(w.faction, u.faction)]
            strength, _ = air_defence_of(self.rules, enemies, target)
            risk = shot_down_chance(self.rules, strength, view.own_factions[w.faction]["quality"])
            return risk * (1.0 + doctrines[w.faction].spare_troops) >= AIR_RISK_LIMIT

        able = sorted(
            (
                w
                for w in on_call
                if w.moves_left > 0
                and combat_aircraft(w) > 0
                and any(self._at_war(w.faction, d.faction) for d in defenders)
                and target.distance(w.hex) <= air_range(self.rules, w)
                and (target.q, target.r) not in self._banned_sky(view, doctrines[w.faction])
                and not too_costly(w)
            ),
            key=lambda w: (target.distance(w.hex), w.id),
        )
        chosen, n = [], 0
        for w in able:
            if n >= aircraft_needed:
                break
            chosen.append(w)
            n += combat_aircraft(w)
        if min(p.air_max, 1.0 + p.air_per_aircraft * n) * ratio < need:
            return []
        return chosen

    def _naval_strike(self, view, maps, group):
        doctrine = doctrine_for(group.faction)
        best, best_value = None, 0.0
        for i, units in maps.enemy_hexes.items():
            h = self.graph.hex(i)
            if h.distance(group.hex) > 6 or self.map.terrain_at(h) == "sea":
                continue
            units = [u for u in units if self._at_war(group.faction, u.faction)]
            if not units:
                continue
            value = sum(
                unit_power(self.rules, u)
                * (doctrine.strike_first_weight if u.faction in doctrine.strike_first else 1.0)
                for u in units
            )
            if value > best_value:
                best, best_value = h, value
        if best is None:
            return None
        return NavalStrike(self.side, group=group.id, target=best)

    @staticmethod
    def _sync(view, own) -> None:
        """Bring the AI's own unit records up to date with a new view."""
        fresh = {u.id: u for u in view.units if u.own}
        for uid in list(own):
            u = fresh.get(uid)
            if u is None:
                del own[uid]
            else:
                own[uid].hex = u.hex
                own[uid].moves_left = u.moves_left
                own[uid].personnel = u.personnel
                own[uid].morale = u.morale

    # The faction relations, from the last view.
    def bind(self, view):
        self._view = view

    def _at_war(self, a: str, b: str) -> bool:
        return self._view.at_war_with(a, b)

    def _side_of(self, f: str) -> str:
        return self._view.side_of(f)

    def _bases(self, faction: str):
        own = self._view.own_factions.get(faction)
        return tuple(own["bases"]) if own else ()


class Situation:
    """What an ``AIPlayer`` knows of its side's turn, and what it has decided so far: what its
    candidate actions read, and hand on to those that come after them.

    ``view`` is the side's view (looked at again by ``refresh`` after something was revealed:
    new enemies, retreats, losses), ``maps`` the influence maps made from it, ``own`` the AI's
    own records of its units (``done`` once ordered), ``acted`` the units that attacked,
    ``garrison`` those that stay to hold a town, ``on_call`` the wings kept on the ground for
    close air support, ``besieged`` the threatened towns reinforced (with the units near them),
    ``breakout`` the garrisons that fall back out of a closing ring.
    """

    def __init__(self, ai: AIPlayer, view_fn, preview_fn, clock):
        self.ai = ai
        self.view_fn = view_fn
        self.preview = preview_fn
        self.clock = clock
        view = view_fn()
        ai.bind(view)
        ai._take_aims(view)
        self.view = view
        self.doctrines = {f: doctrine_for(f) for f in view.factions}
        self.maps = build_maps(view, ai.map, ai.rules, ai.goals, self.doctrines, avoid=ai._side_avoids(view))
        self.rng = _rng_for(view, ai.side)
        self.own = {
            u.id: SimpleNamespace(
                id=u.id,
                type=u.type,
                faction=u.faction,
                hex=u.hex,
                personnel=u.personnel,
                moves_left=u.moves_left,
                equipment=dict(u.equipment),
                morale=u.morale,
                supplied=u.supplied,
                entrenchment=u.entrenchment,
                done=False,
            )
            for u in view.units
            if u.own
        }
        self.others = [u for u in view.units if not u.own]
        self.ground: list = []
        self.acted: set[str] = set()
        self.garrison: set[str] = set()
        self.on_call: list = []
        self.patrols: dict = {}
        self.besieged: list = []
        self.breakout: set[str] = set()
        self.urgency = ai._urgency(view)
        # The towns some side's victory turns on (its own plans' among them): worth a costlier
        # assault, and no garrison of one breaks out.
        self.goal_towns = ai.own_goals | {
            c for g in ai.goals if g["kind"] == "hold" and g["side"] != ai.side for c in g["cities"]
        }
        self.goal_towns |= {c for gs in ai.aims.pulls.values() for g in gs for c in g["cities"]}

    def known(self) -> list:
        return list(self.own.values()) + self.others

    def refresh(self) -> None:
        """Look again after something was revealed: new enemies, retreats, losses."""
        ai = self.ai
        self.view = self.view_fn()
        ai.bind(self.view)
        self.others = [x for x in self.view.units if not x.own]
        ai._sync(self.view, self.own)
        update_forces(self.maps, self.view, ai.map, ai.rules)

    def out_of_time(self) -> bool:
        budget = self.ai.budget
        return budget is not None and self.clock.seconds() > budget


class CandidateAction:
    """One kind of thing the AI may do in its turn, in the manner of Wesnoth's RCA AI
    ("register candidate actions"): ``score`` says what doing it is worth now (0: nothing to
    do), ``execute`` does it, a generator of typed commands that is sent back their results.

    Each is carried out once a turn, and scores its ``weight`` until then, so the weights are
    the order in which the AI thinks its turn through: air missions, naval strikes, garrisons,
    the towns to walk into or to hold, the attacks with their close air support, the wings
    left over, the moves, digging in. ``applies`` leaves out an action a difficulty does not
    take (``Level``) or that has nothing to work on.
    """

    weight = 0.0

    def __init__(self, ai: AIPlayer):
        self.ai = ai
        self.done = False

    def applies(self, s: Situation) -> bool:
        return True

    def score(self, s: Situation) -> float:
        return 0.0 if self.done or not self.applies(s) else self.weight

    def execute(self, s: Situation):
        raise NotImplementedError


class AirMissions(CandidateAction):
    """Wings patrol over the side's own no-fly zones first. A side that calls in close air
    support keeps its other wings on the ground until its attacks are planned (``on_call``,
    flown by ``Attacks`` and ``WingsOnCall``); the rest strike where they hurt, or rebase."""

    weight = 130.0

    def execute(self, s):
        ai = self.ai
        wings = [u for u in s.own.values() if ai.rules.unit_type(u.type).category == "air"]
        s.patrols = ai._zone_threats(s.view)
        for w in wings:
            if s.out_of_time() or w.moves_left <= 0:
                continue
            doctrine = s.doctrines[w.faction]
            if (
                ai.level.cas
                and doctrine.air_use > 0
                and ai._is_base(s.view, w, w.hex)
                and ai._patrol(s.view, w, s.patrols) is None
            ):
                s.on_call.append(w)
                continue
            cmd = ai._air_mission(s.view, s.maps, w, doctrine, s.patrols)
            if cmd is not None:
                res = yield cmd
                if res.ok:
                    w.moves_left = 0
                if isinstance(cmd, AirMission) and cmd.mission == "strike":
                    s.refresh()  # what it hit (or meant to) may be gone: the next wing looks again


class NavalStrikes(CandidateAction):
    """Naval groups strike what they can reach."""

    weight = 120.0

    def execute(self, s):
        ai = self.ai
        for g in [u for u in s.own.values() if ai.rules.unit_type(u.type).category == "naval"]:
            cmd = ai._naval_strike(s.view, s.maps, g)
            if cmd is not None and not s.out_of_time():
                yield cmd


class Garrisons(CandidateAction):
    """Before any ground unit moves, the garrisons are chosen (``AIPlayer._garrisons``): they
    stay home. No command: the actions after it leave them be."""

    weight = 110.0

    def execute(self, s):
        ai = self.ai
        s.ground = [u for u in s.own.values() if ai.rules.unit_type(u.type).is_ground]
        s.garrison = ai._garrisons(s.view, s.maps, s.own, s.doctrines)
        yield from ()


class WalkIntoTowns(CandidateAction):
    """Empty towns of the enemy that the side wants are walked into before any fight."""

    weight = 100.0

    def execute(self, s):
        yield from self.ai._fill(s, self.ai._empty_goal_towns(s.view, s.own), theirs=True)


class ReinforceBesieged(CandidateAction):
    """Towns the side must hold that the enemy masses against are reinforced, up to the
    stacking limit, by the nearest fighters that can get in this turn: the garrison of a town
    the scenario does not ask for comes too (the objective is where the phase is won).

    A town the side holds only because an enemy wins by taking it keeps its garrison, but the
    army does not shut itself in with it: a side that must take the enemy's town to win sends
    its army there, and stops the enemy's in the field."""

    weight = 90.0

    def execute(self, s):
        ai = self.ai
        spare = ai._spare_garrisons(s.own, s.garrison)
        implied = {c for g in ai.goals if g.get("implied") for c in g["cities"]}
        explicit = {
            c
            for g in ai.goals
            if g["side"] == ai.side and not g.get("implied") and g["kind"] in ("take", "hold")
            for c in g["cities"]
        }
        for cid in ai._threatened_holds(s.view, s.maps, s.own):
            if cid in implied and cid not in explicit:
                continue
            if s.out_of_time():
                break
            town = ai.map.city_by_id(cid).hex
            room = int(ai.rules.movement["stack_limit"]) - sum(
                1 for x in s.known() if x.hex == town and ai.rules.unit_type(x.type).is_ground
            )
            near = sorted(
                (
                    u
                    for u in s.ground
                    if u.hex != town
                    and not u.done
                    and u.id not in s.acted
                    and (u.id not in s.garrison or u.id in spare)
                    and u.moves_left > 0
                    and ai.rules.unit_type(u.type).zoc
                    and not (u.morale is not None and u.morale < s.doctrines[u.faction].retreat_morale)
                    and u.hex.distance(town) <= ai.rules.unit_type(u.type).movement
                ),
                key=lambda u: (u.hex.distance(town), -u.personnel, u.id),
            )
            for u in near:
                if room <= 0 or s.out_of_time():
                    break
                found = find_path(
                    ai.graph, ai.rules, u, town, ai._obstacles(u, s.known()), ai._bases(u.faction)
                )
                if not found:
                    continue
                res = yield Move(ai.side, u.id, found[0])
                if _moved(u, res) and u.hex == town:
                    u.done = True
                    s.garrison.add(u.id)
                    room -= 1
                if res.ok and any(e.reveals for e in res.events):
                    s.refresh()
            s.besieged.append((town, near))


class RelieveGarrisons(CandidateAction):
    """Worn garrisons of the towns the side must hold are relieved by fresh units from close
    by (``AIPlayer._relieve``). Not at a level that does not pull broken units back."""

    weight = 80.0

    def applies(self, s):
        return self.ai.level.retreat

    def execute(self, s):
        yield from self.ai._relieve(s)


class KeepWayBack(CandidateAction):
    """The way back from a besieged town is kept open: with no unit of the side beside it, the
    nearest fit unit left holds the neighbouring hex the enemy threatens least, so that the
    garrison can stand when it is assaulted instead of being trapped in it."""

    weight = 70.0

    def applies(self, s):
        return self.ai.level.retreat

    def execute(self, s):
        for town, near in s.besieged:
            if s.out_of_time():
                break
            yield from self.ai._hold_door(s, town, near)


class Attacks(CandidateAction):
    """Attacks, best targets first, by the units beside each (and those that can move up to
    join it, at a level that gathers), with close air support where the odds are short; the
    garrisons stay home, but for those that sally against a town the side must take."""

    weight = 60.0

    def execute(self, s):
        ai = self.ai
        to_take = {c for g in ai.goals if g["side"] == ai.side and g["kind"] == "take" for c in g["cities"]}
        targets = sorted(s.maps.enemy_hexes.items(), key=lambda kv: -ai._target_value(kv[0], kv[1], s.maps))
        for hex_i, defenders in targets:
            if s.out_of_time():
                break
            target = ai.graph.hex(hex_i)
            if not any(ai.rules.unit_type(d.type).is_ground for d in defenders):
                continue
            if ai.aims.avoids(ALL, target):
                continue  # a plan keeps the whole side out of it, or leaves it for later
            city = ai.map.city_at(target)
            # A town the side must take is stormed by the garrisons beside it too: they fight
            # from their own town, and all but one stay there whatever the outcome.
            sally = (
                ai._sally(s.ground, s.garrison, target) if city is not None and city.id in to_take else set()
            )
            beside = {(target.q + d.q, target.r + d.r) for d in DIRECTIONS}
            attackers = [
                u
                for u in s.ground
                if (u.hex.q, u.hex.r) in beside
                and u.id not in s.acted
                and (u.id not in s.garrison or u.id in sally)
                and ai.rules.unit_type(u.type).zoc
                and not ai.aims.avoids(u.faction, target)
            ]
            if ai.level.close_in:
                for u in ai._movers_for(target, s.ground, s.acted | s.garrison, s.known()):
                    if ai.aims.avoids(u.faction, target):
                        continue
                    spot = ai._free_neighbour(target, u, s.known())
                    if spot is None:
                        continue
                    res = yield Move(ai.side, u.id, spot)
                    if _moved(u, res) and u.hex.distance(target) == 1:
                        attackers.append(u)
                    if any(e.reveals for e in res.events):
                        s.refresh()
                        break
            ground_defenders = [d for d in defenders if ai.rules.unit_type(d.type).is_ground]
            attackers = [
                u for u in attackers if all(ai._at_war(u.faction, d.faction) for d in ground_defenders)
            ]
            if not ai.level.gather:
                attackers = attackers[:1]
            if not attackers:
                continue
            ids = [u.id for u in attackers]
            preview = s.preview(ids, target)
            if not preview.ok:
                continue
            doctrine = s.doctrines[attackers[0].faction]
            need = max(0.8, doctrine.attack_odds + ai.level.odds_shift)
            judgement = 1.0 + s.rng.normal(0, ai.level.noise) * 0.3
            # Below these odds an assault is a costly one.
            costly = need * judgement
            if city is not None and city.id in s.goal_towns:
                # A town the scenario asks for is worth a costlier assault: a siege is won by
                # attacking it, not by waiting for odds an entrenched garrison never gives; and
                # costlier still as time runs out for a side that can only win by taking it.
                need = max(0.8 - 0.3 * s.urgency, need * 0.6 * (1.0 - 0.4 * s.urgency))
            need *= judgement
            # Close air support where the odds are short, or where they are only just enough:
            # aim at half as good again, or at the doctrine's own odds for a town's assault.
            want = max(need * 1.5, doctrine.attack_odds)
            if preview.ratio < want and s.on_call:
                called = ai._call_support(
                    s.view, s.on_call, target, preview.ratio, need, want, s.doctrines, ground_defenders
                )
                for w in called:
                    res = yield AirMission(ai.side, wing=w.id, mission="cas", target=target)
                    s.on_call.remove(w)
                    if res.ok:
                        w.moves_left = 0
                if called:
                    preview = s.preview(ids, target)
                    if not preview.ok:
                        continue
            if preview.ratio < need:
                continue
            if (
                preview.ratio < costly
                and ai.level.weighs_losses
                and s.urgency < 0.5
                and not _assault_pays(preview)
            ):
                continue  # a costly assault that neither takes the town nor bleeds it more
            res = yield Attack(ai.side, attackers=ids, target=target)
            for u in attackers:
                s.acted.add(u.id)
                u.done = True
            if res.ok:
                # Retreats, advances and losses move things: look again.
                s.refresh()
                s.ground = [u for u in s.own.values() if ai.rules.unit_type(u.type).is_ground]


class WingsOnCall(CandidateAction):
    """The wings no attack called for strike where they hurt, at what the side sees now: the
    attacks moved units and may have lost sight of some."""

    weight = 50.0

    def applies(self, s):
        return bool(s.on_call)

    def execute(self, s):
        ai = self.ai
        s.refresh()
        for w in s.on_call:
            if s.out_of_time():
                break
            cmd = ai._air_mission(s.view, s.maps, w, s.doctrines[w.faction], {})
            if cmd is not None:
                res = yield cmd
                if res.ok:
                    w.moves_left = 0
                if isinstance(cmd, AirMission) and cmd.mission == "strike":
                    s.refresh()


class Breakouts(CandidateAction):
    """After the fighting, the garrisons lost are struck off, and a garrison ringed in a town
    the phase does not turn on, against more than it can hold, breaks out while a way is open
    (``AIPlayer._breakouts``): taken prisoner there, it would hold nothing. No command: the
    moves (``Advance``) take it back."""

    weight = 40.0

    def execute(self, s):
        ai = self.ai
        s.garrison = {g for g in s.garrison if g in s.own}
        if ai.level.retreat:
            s.breakout = ai._breakouts(s.maps, s.own, s.garrison, s.goal_towns)
        s.garrison -= s.breakout
        yield from ()


class HoldEmptyTowns(CandidateAction):
    """Empty towns the side must hold get a unit."""

    weight = 30.0

    def execute(self, s):
        yield from self.ai._fill(s, self.ai._empty_goal_towns(s.view, s.own), theirs=False)


class TakeAbandonedObjectives(CandidateAction):
    """Units the attacks did not need walk into the empty towns an enemy must hold."""

    weight = 25.0

    def execute(self, s):
        ai = self.ai
        yield from ai._fill(s, ai._empty_goal_towns(s.view, s.own, enemies=True), theirs=True)


class Advance(CandidateAction):
    """The rest move, those nearest the goals first, to the best hex each can reach
    (``AIPlayer._choose_hex``): broken units fall back, the others go for the goals."""

    weight = 20.0

    def execute(self, s):
        ai = self.ai
        for u in sorted(s.ground, key=lambda u: -s.maps.objective[ai.graph.index(u.hex)]):
            if s.out_of_time():
                break
            if u.done or u.id in s.acted or u.moves_left <= 0 or u.id not in s.own:
                continue
            if u.id in s.garrison:
                continue
            dest = ai._choose_hex(
                u, s.maps, s.doctrines[u.faction], s.known(), s.rng, force_back=u.id in s.breakout
            )
            if dest is None:
                continue
            res = yield Move(ai.side, u.id, dest)
            if _moved(u, res):
                u.done = True
            if res.ok and any(e.reveals for e in res.events):
                s.refresh()


class DigIn(CandidateAction):
    """Dig in where it pays: garrisons and units facing the enemy that did not move."""

    weight = 10.0

    def execute(self, s):
        ai = self.ai
        for u in s.ground:
            if s.out_of_time():
                break
            if u.id not in s.own or u.done or u.id in s.acted:
                continue
            ut = ai.rules.unit_type(u.type)
            i = ai.graph.index(u.hex)
            deepest = ai.rules.terrain[ai.graph.terrain[i]].entrench_max
            if (
                u.moves_left >= ut.movement - 1e-9
                and u.entrenchment < deepest
                and (u.id in s.garrison or s.maps.threat[i] > 0)
            ):
                yield Entrench(ai.side, u.id)


# What an AIPlayer may do in its turn; each scores its weight until it is done.
CANDIDATE_ACTIONS = (
    AirMissions,
    NavalStrikes,
    Garrisons,
    WalkIntoTowns,
    ReinforceBesieged,
    RelieveGarrisons,
    KeepWayBack,
    Attacks,
    WingsOnCall,
    Breakouts,
    HoldEmptyTowns,
    TakeAbandonedObjectives,
    Advance,
    DigIn,
)


def _assault_pays(preview) -> bool:
    """Whether a costly assault is worth ordering: the town is likely to fall (its garrison
    falls back, breaks or is taken at one chance in four or better), or its defenders are
    expected to lose a larger share of their strength than the attackers lose of theirs, so
    that the siege wears the garrison down faster than the besiegers. A side that trades men
    at a loss, turn after turn, against a garrison it cannot shift only bleeds itself."""
    falls = sum(preview.outcomes.get(k, 0.0) for k in ("retreat", "rout", "trapped"))
    if falls >= 0.25:
        return True
    theirs = (preview.defender_loss.mean + preview.captured) / max(preview.defender_personnel, 1)
    mine = preview.attacker_loss.mean / max(preview.attacker_personnel, 1)
    return theirs > mine


def _moved(u, res) -> bool:
    """Record a move on the AI's own copy of the unit; True if it went."""
    if not res.ok:
        return False
    u.hex = res_last_hex(res, u.hex)
    u.moves_left = 0
    return True


def res_last_hex(res, default: Hex) -> Hex:
    for e in res.events:
        if e.kind == "moved":
            q, r = e.data["path"][-1]
            return Hex(q, r)
    return default


class RandomPlayer:
    """A player that moves every unit to a random reachable hex and attacks whatever is next to
    it: the floor any AI must beat."""

    def __init__(self, side: str, hexmap, rules, seed: int = 0):
        self.side = side
        self.map = hexmap
        self.rules = rules
        self.graph = map_graph(hexmap)
        self.seed = seed

    def turn(self, view_fn, preview_fn):
        view = view_fn()
        rng = np.random.default_rng([self.seed, view.turn, len(view.units)])
        own = [u for u in view.units if u.own and self.rules.unit_type(u.type).is_ground]
        enemy_hexes = {
            u.hex
            for u in view.units
            if not u.own and any(view.at_war_with(f, u.faction) for f in view.own_factions)
        }
        known = list(view.units)
        for u in own:
            near = [h for h in u.hex.neighbors() if h in enemy_hexes]
            if near and rng.random() < 0.5:
                t = near[int(rng.integers(len(near)))]
                yield Attack(self.side, attackers=[u.id], target=t)
                continue
            obs = obstacles_for(self.graph, self.rules, u, known, view.at_war_with, view.side_of)
            bases = tuple(view.own_factions[u.faction]["bases"])
            ways = reach(self.graph, self.rules, u, obs, bases)
            ends = sorted(ways.hexes())
            if not ends:
                continue
            dest = ends[int(rng.integers(len(ends)))]
            found = ways.path(dest)
            if found:
                res = yield Move(self.side, u.id, found[0])
                if res.ok:
                    moved = SimpleNamespace(
                        id=u.id, type=u.type, faction=u.faction, hex=res_last_hex(res, u.hex)
                    )
                    known = [moved if k.id == u.id else k for k in known]
        yield EndTurn(self.side)
