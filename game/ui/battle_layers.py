"""The battle screen's map, layer by layer, from the ground up.

UI layer (pygame). ``MapLayers`` draws, in this order:

1. the base: the renderer's cached terrain tiles, the no-fly zones and air tasks, the fog over
   what the viewer does not see, the overlays the player switched on (supply, enemy zones of
   control, who holds the towns), composed into one surface that is made again only when the
   camera or what it shows changes;
2. the orders: the selected unit's range, its strike reach, the path under the pointer;
3. the counters, stacked, with their status, and the units gliding along their paths;
4. the marks: the selection, the targets, the effects of fights (flashes, losses floating up,
   what came of it), the hovered hex;
5. the labels: town names, then the path's cost and the odds;
6. what came of the fights: the losses rising, the outcome's word, above everything.

It reads the scene for what the viewer sees (``scene.known``, the viewer's ``SideView``;
``scene.seen``, ``scene.stacks``, ``scene.mask``), the session for the supply overlay, and
the orders being prepared (``scene.orders``); it changes nothing.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from game.air import air_range
from game.hexgrid import DIRECTIONS, Hex
from game.hexmap import TERRAINS
from game.ui.counters import CounterStatus, fit_share, whole_strength
from game.ui.style import BAD, BRASS, INK, TONES, label_box

FOG_STEP = 4  # the fog is worked out per block of this many pixels
OVERLAYS = ("supply", "zoc", "control", "air")  # what the player can switch on and off
SUPPLY_COLOURS = {"in": (80, 200, 90), "cut": (235, 70, 50), "far": (120, 120, 120)}


class MapLayers:
    def __init__(self, scene):
        self.sc = scene
        self._base: pygame.Surface | None = None
        self._base_key = None
        self._map_key_for = None
        self._map_key_value = None
        self._range_surf: pygame.Surface | None = None
        self._range_surf_key = None
        self._range_box = pygame.Rect(0, 0, 1, 1)
        self._range_extent_key = None
        self._range_extent_value = (set(), pygame.Rect(0, 0, 1, 1))
        self._minimap_key = None
        self._minimap_layer: pygame.Surface | None = None
        self._supply_key = None
        self._supply = None  # (in supply, could be supplied without the enemy) per hex index
        self.drawn_units: set[str] = set()
        self.drawn_moving: dict[str, Hex] = {}

    def reset(self) -> None:
        self._base_key = None
        self._range_surf_key = None
        self._range_extent_key = None
        self._minimap_key = None

    # -- helpers -----------------------------------------------------------------------------

    @property
    def view(self):
        return self.sc.view

    @property
    def renderer(self):
        return self.sc.renderer

    def camera(self) -> tuple:
        return (self.view.level, self.view._left_top(), tuple(self.sc.map_rect))

    def level_xy(self, h: Hex, left: float, top: float) -> tuple[float, float]:
        x, y = self.renderer.hex_center(h, self.view.scale)
        return x - left, y - top

    def counter_size(self) -> int:
        hex_px = self.renderer.hex_width_km * self.view.scale
        return int(max(12, min(64, hex_px * 0.92)))

    # -- the frame -------------------------------------------------------------------------------

    def draw(self, screen) -> None:
        sc = self.sc
        clip = screen.get_clip()
        screen.set_clip(sc.map_rect)
        self.draw_base(screen)
        self.draw_orders(screen)
        self.draw_counters(screen)
        self.draw_marks(screen)
        self.draw_labels(screen)
        self.draw_effect_texts(screen)
        screen.set_clip(clip)
        self.draw_minimap(screen)

    # -- 1. the base -------------------------------------------------------------------------------

    def map_key(self) -> tuple:
        """What the composed map shows: fog, zones, air tasks, who holds the towns, the
        overlays. A move the viewer cannot see changes none of it, and the map is not made
        again."""
        sc = self.sc
        key_for = (sc.world_key, tuple(sorted(sc.overlays)), sc.orders.selected)
        if key_for == self._map_key_for:
            return self._map_key_value
        st = sc.known
        fog = None if sc.mask is None else hash(sc.mask.tobytes())
        tasks = tuple(sorted((w, t.get("kind"), tuple(t.get("hex", ())), t.get("side"))
                             for w, t in st.air_tasks.items()))
        units = hash(tuple(sorted((u.id, u.hex) for u in sc.seen))) \
            if ("zoc" in sc.overlays or "supply" in sc.overlays) else None
        value = (fog, hash(tuple(sorted(st.city_owner.items(), key=lambda kv: kv[0]))),
                 tuple(z["id"] for z in st.no_fly_zones), tasks, sc.viewer,
                 tuple(sorted(sc.overlays)), units,
                 sc.orders.selected if "supply" in sc.overlays else None)
        self._map_key_for, self._map_key_value = key_for, value
        return value

    def draw_base(self, screen) -> None:
        sc = self.sc
        key = (self.camera(), self.map_key(), sc.style_key)
        if key != self._base_key or self._base is None:
            self._base_key = key
            r = sc.map_rect
            if self._base is None or self._base.get_size() != r.size:
                self._base = pygame.Surface(r.size).convert() if pygame.display.get_surface() \
                    else pygame.Surface(r.size)
            left, top = self.view._left_top()
            self.renderer.draw_view(self._base, self.view.scale, left, top, self._base.get_rect())
            if "air" in sc.overlays:
                self.draw_zones(self._base, left, top)
            if "supply" in sc.overlays:
                self.draw_supply(self._base, left, top)
            if "zoc" in sc.overlays:
                self.draw_zoc(self._base, left, top)
            if sc.mask is not None:
                self.draw_fog(self._base, left, top)
            if "control" in sc.overlays:
                self.draw_control(self._base, left, top)
        screen.blit(self._base, sc.map_rect)

    def _hex_grid(self, w: int, h: int, left: float, top: float):
        """For blocks of FOG_STEP pixels of a (w, h) view: each block's hex as (row, col),
        and whether it is on the map."""
        bw, bh = (w + FOG_STEP - 1) // FOG_STEP, (h + FOG_STEP - 1) // FOG_STEP
        s = self.view.scale
        bx, by = self.renderer.bounds_km[:2]
        xs = (left + (np.arange(bw) + 0.5) * FOG_STEP) / s + bx
        ys = (top + (np.arange(bh) + 0.5) * FOG_STEP) / s + by
        X, Y = np.meshgrid(xs, ys, indexing="ij")
        lay = self.sc.hexmap.layout
        o = lay.orientation
        px = (X - lay.origin[0]) / lay.size[0]
        py = (Y - lay.origin[1]) / lay.size[1]
        fq = o.b0 * px + o.b1 * py
        fr = o.b2 * px + o.b3 * py
        fs = -fq - fr
        q, r, s3 = np.round(fq), np.round(fr), np.round(fs)
        dq, dr, ds = np.abs(q - fq), np.abs(r - fr), np.abs(s3 - fs)
        fix_q = (dq > dr) & (dq > ds)
        fix_r = ~fix_q & (dr > ds)
        q = np.where(fix_q, -r - s3, q)
        r = np.where(fix_r, -q - s3, r)
        q, r = q.astype(np.int64), r.astype(np.int64)
        r, col, inside = self.sc.hexmap.indices(q, r)
        return r, col, inside, (bw, bh)

    def _shade(self, surf, rgba_of_block: np.ndarray, size) -> None:
        """Blit an (bw, bh, 4) array of colours, one per block, scaled up over ``surf``."""
        bw, bh = size
        small = pygame.Surface((bw, bh), pygame.SRCALPHA)
        pygame.surfarray.pixels3d(small)[:] = rgba_of_block[:, :, :3]
        pygame.surfarray.pixels_alpha(small)[:] = rgba_of_block[:, :, 3]
        surf.blit(pygame.transform.scale(small, (bw * FOG_STEP, bh * FOG_STEP)), (0, 0))

    def draw_fog(self, surf, left: float, top: float) -> None:
        """Shade the hexes the viewer does not see, worked out per block of pixels."""
        w, h = surf.get_size()
        r, col, inside, size = self._hex_grid(w, h, left, top)
        seen = np.zeros(r.shape, dtype=bool)
        seen[inside] = self.sc.mask[r[inside], col[inside]]
        rgba = np.zeros(r.shape + (4,), dtype=np.uint8)
        rgba[..., :3] = (18, 20, 26)
        rgba[..., 3] = np.where(seen | ~inside, 0, 110)
        self._shade(surf, rgba, size)

    def supply_state(self):
        """Per hex index, for the viewer's side (or the selected unit's faction): 2 in supply,
        1 cut off by the enemy (a line would reach it were the enemy not there), 0 out of
        reach, as the viewer knows the map (``Session.supply``). Worked out when the overlay
        is on and the world changes."""
        sc = self.sc
        known = sc.known
        side = sc.viewer or known.active_side
        sel = sc.orders.unit(sc.orders.selected)
        facs = [sel.faction] if sel is not None else \
            [f for f, fac in known.factions.items() if fac.side == side]
        key = (sc.world_key, tuple(facs))
        if key == self._supply_key:
            return self._supply
        self._supply_key = key
        self._supply = sc.session.supply(known.side, facs)
        return self._supply

    def draw_supply(self, surf, left: float, top: float) -> None:
        supply = self.supply_state()
        if supply is None:
            return
        w, h = surf.get_size()
        r, col, inside, size = self._hex_grid(w, h, left, top)
        hm = self.sc.hexmap
        grid = supply.reshape(hm.rows, hm.cols)
        code = np.full(r.shape, -1, dtype=np.int8)
        code[inside] = grid[r[inside], col[inside]]
        water = np.isin(hm.terrain, [TERRAINS.index(t) for t in ("sea", "lake") if t in TERRAINS])
        land = np.zeros(r.shape, dtype=bool)
        land[inside] = ~water[r[inside], col[inside]]
        rgba = np.zeros(r.shape + (4,), dtype=np.uint8)
        for c, (name, alpha) in ((2, ("in", 60)), (1, ("cut", 95)), (0, ("far", 45))):
            m = (code == c) & land
            rgba[m, :3] = SUPPLY_COLOURS[name]
            rgba[m, 3] = alpha
        self._shade(surf, rgba, size)

    def zoc_hexes(self) -> set[Hex]:
        """The hexes in the zone of control of enemy ground units the viewer sees."""
        sc = self.sc
        st, rules = sc.known, sc.rules
        side = sc.viewer or st.active_side
        out: set[Hex] = set()
        for u in sc.seen:
            if st.side_of(u.faction) == side:
                continue
            ut = rules.unit_type(u.type)
            if not (ut.is_ground and ut.zoc):
                continue
            if not any(st.at_war_with(u.faction, f) for f, fac in st.factions.items()
                       if fac.side == side):
                continue
            out.update(u.hex.neighbors())
        return out

    def draw_zoc(self, surf, left: float, top: float) -> None:
        s = self.view.scale
        w, h = surf.get_size()
        layer = pygame.Surface((w, h), pygame.SRCALPHA)
        for hx in self.zoc_hexes():
            x, y = self.level_xy(hx, left, top)
            if -40 < x < w + 40 and -40 < y < h + 40:
                pts = [(x + dx * s, y + dy * s) for dx, dy in self.renderer.corner_km]
                pygame.draw.polygon(layer, (220, 40, 40, 60), pts)
                pygame.draw.polygon(layer, (220, 40, 40, 150), pts, 1)
        surf.blit(layer, (0, 0))

    def draw_zones(self, surf, left: float, top: float) -> None:
        """No-fly zones as hatched hexes with their enforcer's colour; air tasks as rings."""
        sc = self.sc
        known = sc.known
        s = self.view.scale
        w, h = surf.get_size()
        for z in known.no_fly_zones:
            colour = sc.palette.side(z["side"])
            layer = pygame.Surface((w, h), pygame.SRCALPHA)
            xs, ys = [], []
            zone = {Hex(int(q), int(r)) for q, r in z["hexes"]}
            edge = self.renderer.edge_km
            for hx in zone:
                x, y = self.level_xy(hx, left, top)
                xs.append(x)
                ys.append(y)
                if -40 < x < w + 40 and -40 < y < h + 40:
                    pts = [(x + dx * s, y + dy * s) for dx, dy in self.renderer.corner_km]
                    pygame.draw.polygon(layer, (*colour, 56), pts)
                    for d, nb in enumerate(hx.neighbors()):
                        if nb not in zone:
                            (ax, ay), (bx, by) = edge[d]
                            pygame.draw.line(layer, (*colour, 220), (x + ax * s, y + ay * s),
                                             (x + bx * s, y + by * s), 2)
            surf.blit(layer, (0, 0))
            if xs:
                text = z["name"] if "no-fly" in z["name"].lower() else f"No-fly zone: {z['name']}"
                label = sc.fonts.bold.render(text, True, (250, 250, 250))
                at = label.get_rect(center=(sum(xs) / len(xs), max(ys) + 10))
                pygame.draw.rect(surf, (30, 30, 30), at.inflate(8, 4), border_radius=3)
                surf.blit(label, at)
        viewer = sc.viewer
        for wid, task in sorted(known.air_tasks.items()):
            if viewer is not None and task.get("side") != viewer:
                continue
            x, y = self.level_xy(Hex(*task["hex"]), left, top)
            radius = task.get("radius", 0) * self.renderer.hex_width_km * s
            col = (40, 90, 220) if task["kind"] == "patrol" else (230, 120, 20)
            if radius:
                pygame.draw.circle(surf, col, (x, y), radius, 2)
            pygame.draw.circle(surf, col, (x, y), max(4, self.counter_size() // 3), 2)

    def draw_control(self, surf, left: float, top: float) -> None:
        """A small flag in the holder's side colour by every town a faction holds."""
        sc = self.sc
        known = sc.known
        w, h = surf.get_size()
        fs = max(6, int(self.counter_size() * 0.42))
        for cid, owner in known.city_owner.items():
            if owner is None:
                continue
            city = sc.cities.get(cid)
            if city is None:
                continue
            x, y = self.level_xy(city.hex, left, top)
            if not (-20 < x < w + 20 and -20 < y < h + 20):
                continue
            colour = sc.palette.colour(owner, known.side_of(owner))
            fx, fy = int(x - fs * 1.4), int(y - fs * 1.6)
            pygame.draw.line(surf, (20, 20, 20), (fx, fy), (fx, fy + fs * 1.6), 1)
            rect = pygame.Rect(fx + 1, fy, fs + 2, max(3, int(fs * 0.75)))
            pygame.draw.rect(surf, colour, rect)
            pygame.draw.rect(surf, (20, 20, 20), rect, 1)

    # -- 2. the orders -----------------------------------------------------------------------------

    def draw_orders(self, screen) -> None:
        """The selected unit's range shaded and outlined, its strike reach, its path."""
        sc = self.sc
        o = sc.orders
        if o.selected is None:
            return
        left, top = self.view._left_top()
        # The layer is drawn in the map's own pixels at this zoom and kept while the range
        # and the zoom stay: panning or a glide of the camera only moves where it is blitted.
        # A range larger than a few screens (rare) is drawn for the view alone instead.
        key = (o._range_key, self.view.level, self._range_view_key(left, top))
        if key != self._range_surf_key:
            self._range_surf_key = key
            self._range_surf, self._range_box = self._range_layer(left, top)
        box = self._range_box
        screen.blit(self._range_surf, (sc.map_rect.x + box.x - left, sc.map_rect.y + box.y - top))
        u = o.unit(o.selected)
        if u is not None:
            self.draw_reach(screen, u)
            if "supply" in sc.overlays:
                self.draw_supply_line(screen, u)
        if o.path:
            path, cost = o.path
            pts = [sc.screen_pos(hx) for hx in path]
            pygame.draw.lines(screen, (20, 20, 20), False, pts, 5)
            pygame.draw.lines(screen, (255, 230, 60), False, pts, 3)

    RANGE_PIXELS = 6_000_000  # the largest range layer kept whole (about 24 MB)

    def _range_extent(self):
        """The hexes the range layer draws (reached, and the unit's own), and their box in
        the map's pixels at this zoom."""
        o = self.sc.orders
        inside = set(o.range)
        u = o.unit(o.selected)
        if u is not None:
            inside.add(u.hex)
        if not inside:
            return inside, pygame.Rect(0, 0, 1, 1)
        s = self.view.scale
        pts = [self.renderer.hex_center(hx, s) for hx in inside]
        pad = int(self.renderer.hex_width_km * s) + 4
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return inside, pygame.Rect(int(min(xs)) - pad, int(min(ys)) - pad,
                                   int(max(xs) - min(xs)) + 2 * pad,
                                   int(max(ys) - min(ys)) + 2 * pad)

    def _range_view_key(self, left: float, top: float):
        """None while the whole range fits one kept layer; else the view, which the layer
        is then drawn for."""
        o = self.sc.orders
        if self._range_extent_key != (o._range_key, self.view.level):
            self._range_extent_key = (o._range_key, self.view.level)
            self._range_extent_value = self._range_extent()
        box = self._range_extent_value[1]
        if box.w * box.h <= self.RANGE_PIXELS:
            return None
        return (left, top, tuple(self.sc.map_rect))

    def _range_layer(self, left: float, top: float):
        """The range's layer and its box in the map's pixels: shaded hexes, and the outline
        between a hex it reaches and one it does not."""
        sc = self.sc
        o = sc.orders
        s = self.view.scale
        inside, box = self._range_extent_value
        if box.w * box.h > self.RANGE_PIXELS:  # only the view, and a hex around it
            w, h = sc.map_rect.size
            pad = int(self.renderer.hex_width_km * s) + 4
            box = box.clip(pygame.Rect(int(left) - pad, int(top) - pad, w + 2 * pad, h + 2 * pad))
        layer = pygame.Surface((max(1, box.w), max(1, box.h)), pygame.SRCALPHA)
        margin = int(self.renderer.hex_width_km * s) + 4
        area = box.inflate(2 * margin, 2 * margin)
        centres = {}
        for hx in inside:
            x, y = self.renderer.hex_center(hx, s)
            if area.collidepoint(x, y):
                centres[hx] = (x - box.x, y - box.y)
        corner = self.renderer.corner_km
        for hx, (x, y) in centres.items():
            if hx in o.range:
                pygame.draw.polygon(layer, (255, 255, 200, 80),
                                    [(x + dx * s, y + dy * s) for dx, dy in corner])
        width = max(2, int(self.counter_size() / 12))
        edge = self.renderer.edge_km
        for hx, (x, y) in centres.items():
            for d, nb in enumerate(hx.neighbors()):
                if nb not in inside:
                    (ax, ay), (bx, by) = edge[d]
                    pygame.draw.line(layer, (255, 226, 60, 230), (x + ax * s, y + ay * s),
                                     (x + bx * s, y + by * s), width)
        return layer, box

    def draw_supply_line(self, screen, u) -> None:
        """With the supply overlay on: the selected unit's line back to where its supply
        comes from, as far as the overlay's supplied hexes run."""
        sc = self.sc
        supply = self.supply_state()
        if supply is None or supply[sc.graph.index(u.hex)] != 2:
            return
        line = _trace_home(sc, u, supply)
        if len(line) > 1:
            pts = [sc.screen_pos(hx) for hx in line]
            pygame.draw.lines(screen, (20, 20, 20), False, pts, 5)
            pygame.draw.lines(screen, SUPPLY_COLOURS["in"], False, pts, 3)

    def draw_reach(self, screen, u) -> None:
        """An air wing's or a fleet's strike reach: the hexagon of hexes within its range,
        outlined in orange with the range written at its top."""
        sc = self.sc
        kind = sc.orders.kind(u)
        if kind == "air":
            reach, what = air_range(sc.rules, u), "mission range"
        elif kind == "naval":
            reach, what = sc.rules.air.range.naval_strike, "strike range"
        else:
            return
        if u.moves_left <= 0 or reach <= 0:
            return
        pts = [sc.screen_pos(u.hex + d.scale(reach)) for d in DIRECTIONS]
        pygame.draw.lines(screen, (20, 20, 20), True, pts, 4)
        pygame.draw.lines(screen, (255, 150, 40), True, pts, 2)
        top = min(pts, key=lambda p: p[1])
        if sc.map_rect.collidepoint(top) and not sc.minimap.hit(top):
            label_box(screen, sc.fonts.bold, f"{what}: {reach} hexes", (255, 190, 110),
                      {"midtop": (top[0], top[1] + 4)})

    # -- 3. the counters ---------------------------------------------------------------------------

    def status(self, u, own_turn: bool, known=None) -> CounterStatus:
        sc = self.sc
        st = known or sc.known
        own = st.side_of(u.faction) == sc.viewer
        full = max(1, sc.full_strength(u))
        spent = own_turn and own and not sc.orders.can_act(u)
        # The bar: the whole strength against the most it has had, the wounded and shaken in
        # it greyed (another side's as far as can be judged from outside: its view's rounding).
        return CounterStatus(
            supplied=bool(u.supplied) if (own or sc.viewer is None) else True,
            entrenched=int(u.entrenchment or 0),
            spent=spent,
            can_move=own_turn and own and (u.moves_left or 0) > 0,
            strength=min(1.0, whole_strength(u) / full),
            fit=fit_share(u))

    def draw_counters(self, screen) -> None:
        sc = self.sc
        size = self.counter_size()
        left, top = self.view._left_top()
        ox, oy = sc.map_rect.x - left, sc.map_rect.y - top
        r = sc.map_rect
        margin = size
        moving_km = sc.effects.positions(self.renderer.hex_center_km, sc.sees_unit_at)
        self.drawn_moving = {}
        moving: dict[str, tuple[float, float, Hex] | None] = {}
        s = self.view.scale
        bx, by = self.renderer.bounds_km[:2]
        for uid, pos in moving_km.items():
            moving[uid] = None if pos is None else ((pos[0] - bx) * s, (pos[1] - by) * s, pos[2])
        drawn = set()
        known = sc.known
        my_turn = sc.orders.my_turn()
        for hx, units in sc.stacks.items():
            if moving:
                units = [u for u in units if u.id not in moving]
                if not units:
                    continue
            x, y = self.renderer.hex_center(hx, s)
            x += ox
            y += oy
            if not (r.left - margin < x < r.right + margin and r.top - margin < y < r.bottom + margin):
                continue
            statuses = [self.status(u, my_turn, known) for u in units]
            sides = [known.side_of(u.faction) for u in units]
            surf = sc.art.stack(units, size, statuses=statuses, sides=sides)
            screen.blit(surf, (x - size / 2, y - surf.get_height() + size / 2))
            drawn.update(u.id for u in units)
        gliding = {e.unit.id: e.unit for e in sc.effects.moving()}
        for uid, pos in moving.items():
            if pos is None:
                continue
            u = known.unit(uid) or gliding.get(uid)  # a unit on its way out of sight: as seen
            if u is None:
                continue
            surf = sc.art.stack([u], size, statuses=[self.status(u, my_turn, known)],
                                sides=[known.side_of(u.faction)])
            screen.blit(surf, (pos[0] + ox - size / 2, pos[1] + oy - surf.get_height() + size / 2))
            drawn.add(uid)
            self.drawn_moving[uid] = pos[2]
        self.drawn_units = drawn

    # -- 4. the labels -----------------------------------------------------------------------------

    def draw_labels(self, screen) -> None:
        """Town names over the counters, then the path's cost and the odds over everything."""
        sc = self.sc
        left, top = self.view._left_top()
        self.renderer.draw_labels(screen, self.view.scale, left, top, sc.map_rect)
        o = sc.orders
        u = o.unit(o.selected)
        if o.path and u is not None:
            path, cost = o.path
            end = sc.screen_pos(path[-1])
            label_box(screen, sc.fonts.bold, f"{cost:g} of {u.moves_left:g} MP", INK,
                      {"midbottom": (end[0], end[1] - self.counter_size() // 2 - 4)})
        p = o.preview
        if o.target is not None and p is not None and hasattr(p, "odds"):
            at = sc.screen_pos(o.target)
            colour = BAD if p.problems or p.outcomes.get("repulsed", 0) >= 0.75 else BRASS
            label_box(screen, sc.fonts.head, f"{p.odds}", colour,
                      {"midbottom": (at[0], at[1] - self.counter_size() // 2 - 4)})

    # -- 5. the marks --------------------------------------------------------------------------------

    def draw_selection(self, screen) -> None:
        """Over the counters: the selected unit, the units joining its attack, the targets."""
        sc = self.sc
        o = sc.orders
        u = o.unit(o.selected)
        if u is None:
            return
        for uid in o.attackers[1:]:
            a = o.unit(uid)
            if a is not None:
                pygame.draw.polygon(screen, (255, 170, 40), self.view.hex_polygon(a.hex), 3)
        pygame.draw.polygon(screen, (20, 20, 20), self.view.hex_polygon(u.hex), 5)
        pygame.draw.polygon(screen, (255, 236, 70), self.view.hex_polygon(u.hex), 3)
        for hx in o.targets:
            chosen = hx == o.target
            pygame.draw.polygon(screen, (255, 255, 255) if chosen else (235, 40, 30),
                                self.view.hex_polygon(hx), 4 if chosen else 2)

    def draw_marks(self, screen) -> None:
        sc = self.sc
        self.draw_selection(screen)
        size = self.counter_size()
        for e in sc.effects.items:
            if not e.started:
                continue
            if e.kind == "flash" and sc.sees(e.hex):
                on = int(e.t * 8) % 2 == 0
                pygame.draw.polygon(screen, (255, 40, 30) if on else (255, 220, 80),
                                    self.view.hex_polygon(e.hex), 4)
                x, y = sc.screen_pos(e.hex)
                burst = int(size * (0.3 + 0.5 * e.progress))
                pygame.draw.circle(screen, (255, 200, 80), (x, y), burst, 2)
            elif e.kind == "strike":
                a, b = sc.screen_pos(e.path[0]), sc.screen_pos(e.path[-1])
                f = e.progress
                x, y = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
                ang = math.atan2(b[1] - a[1], b[0] - a[0])
                _plane(screen, (x, y), ang, max(8, size // 3))
        if sc.hover is not None:
            pygame.draw.polygon(screen, (255, 255, 255), self.view.hex_polygon(sc.hover), 2)

    def draw_effect_texts(self, screen) -> None:
        """What came of a fight, over everything on the map: the losses rising from the hex,
        the word of the outcome under it, a town taken."""
        sc = self.sc
        size = self.counter_size()
        for e in sc.effects.items:
            if not e.started or e.kind not in ("float", "marker", "taken") or not sc.sees(e.hex):
                continue
            x, y = sc.screen_pos(e.hex)
            if e.kind == "float":
                rise = int(size * 1.2 * e.progress)
                label_box(screen, sc.fonts.bold, e.text, TONES.get(e.tone, INK),
                          {"midbottom": (x + size // 3, y - size // 2 - rise)})
            else:
                label_box(screen, sc.fonts.head, e.text, TONES.get(e.tone, INK),
                          {"midtop": (x, y + size // 2 + 2)})

    # -- the minimap ---------------------------------------------------------------------------------

    def draw_minimap(self, screen) -> None:
        sc = self.sc
        mm = sc.minimap
        # In a small window the minimap would hide too much of the map; M hides it anyway.
        if not sc.show_minimap or sc.map_rect.w < 3 * mm.rect.w \
                or sc.map_rect.h < 2.2 * mm.rect.h:
            mm.visible = False
            return
        mm.rect.topright = (sc.map_rect.right - 8, sc.map_rect.top + 8)
        mm.draw(screen, self.view, topright=mm.rect.topright)
        mm.visible = True
        key = (sc.world_key, sc.style_key, mm.rect.size)
        if key != self._minimap_key:
            self._minimap_key = key
            layer = pygame.Surface(mm.rect.size, pygame.SRCALPHA)
            bx, by = self.renderer.bounds_km[:2]

            def at(h):
                x, y = self.renderer.hex_center_km(h)
                return int((x - bx) * mm.scale), int((y - by) * mm.scale)

            st = sc.known
            for cid, owner in st.city_owner.items():  # who holds the towns: rings
                city = sc.cities.get(cid)
                if owner is not None and city is not None:
                    x, y = at(city.hex)
                    pygame.draw.rect(layer, sc.palette.colour(owner, st.side_of(owner)),
                                     (x - 2, y - 2, 5, 5), 1)
            for u in sc.seen:  # the units the viewer sees: dots
                x, y = at(u.hex)
                layer.fill(sc.palette.colour(u.faction, st.side_of(u.faction)), (x - 1, y - 1, 3, 3))
            self._minimap_layer = layer
        screen.blit(self._minimap_layer, mm.rect)


def _trace_home(sc, u, supply: np.ndarray, limit: int = 60) -> list[Hex]:
    """A line from a supplied unit back toward its side's nearest source of supply (a town
    its side holds, a depot, a border crossing it may use, a base country), over supplied
    hexes, by breadth-first search."""
    st = sc.known
    side = st.side_of(u.faction)
    g = sc.graph
    goals = set()
    for cid, owner in st.city_owner.items():
        city = sc.cities.get(cid)
        if owner is not None and city is not None and st.side_of(owner) == side:
            goals.add(city.hex)
    for d in getattr(st, "supply_sources", ()):
        dside = st.factions[d["faction"]].side if "faction" in d else d.get("side")
        if dside == side:
            goals.add(Hex(*d["hex"]))
    start = u.hex
    if start in goals and len(goals) > 1:
        goals.discard(start)
    prev = {start: None}
    frontier = [start]
    found = None
    for _ in range(limit):
        nxt = []
        for h in frontier:
            if h in goals and h != start:
                found = h
                break
            for nb in h.neighbors():
                if nb in prev or not sc.hexmap.in_bounds(nb) or supply[g.index(nb)] != 2:
                    continue
                prev[nb] = h
                nxt.append(nb)
        if found or not nxt:
            break
        frontier = nxt
    if found is None:
        return []
    line = []
    h = found
    while h is not None:
        line.append(h)
        h = prev[h]
    return line


def _plane(screen, pos, angle: float, size: int) -> None:
    """A small aircraft silhouette pointing along ``angle``."""
    x, y = pos
    ca, sa = math.cos(angle), math.sin(angle)

    def pt(f, s):
        return (x + f * ca * size - s * sa * size, y + f * sa * size + s * ca * size)

    body = [pt(0.9, 0), pt(-0.2, 0.55), pt(-0.1, 0), pt(-0.2, -0.55)]
    tail = [pt(-0.35, 0), pt(-0.7, 0.3), pt(-0.6, 0), pt(-0.7, -0.3)]
    for poly in (body, tail):
        pygame.draw.polygon(screen, (230, 230, 235), poly)
        pygame.draw.polygon(screen, (20, 20, 20), poly, 1)


__all__ = ["FOG_STEP", "MapLayers", "OVERLAYS"]
