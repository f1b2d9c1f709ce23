"""The window's one navigator: the only place where a scene is made and put on the stack.

UI layer (pygame). A scene that leads to another asks the navigator (``Navigator(app)``)
rather than importing that scene: the battle asks for the results, the results for the main
menu, the main menu for a battle. The scene modules then import none of each other. Those
that ask the navigator (menus, battle, results, tutorial, editor) it imports only when it is
first asked for one of their scenes, each import saying so: that is where the circle between
them is broken (and opening the map viewer does not load the editor).
"""

from __future__ import annotations

from game.ui.handover import HandoverScene
from game.ui.help import HelpOverlay


class Navigator:
    def __init__(self, app):
        self.app = app

    # -- menus ---------------------------------------------------------------------------------

    def main_menu(self, reset: bool = False) -> None:
        """The main menu: the one already at the bottom of the stack if there is one."""
        from game.ui.menus import MainMenuScene  # menus imports the navigator: a circle

        if reset:
            menu = next((s for s in self.app.stack if isinstance(s, MainMenuScene)), None)
            self.app.reset(menu or MainMenuScene(self.app))
        else:
            self.app.push(MainMenuScene(self.app))

    def load_dialog(self) -> None:
        from game.ui.menus import LoadDialog  # menus imports the navigator: a circle

        self.app.push(LoadDialog(self.app))

    def save_dialog(self, session) -> None:
        from game.ui.menus import SaveDialog  # menus imports the navigator: a circle

        self.app.push(SaveDialog(self.app, session))

    def settings(self) -> None:
        from game.ui.menus import SettingsScene  # menus imports the navigator: a circle

        self.app.push(SettingsScene(self.app))

    def help(self, title: str, shortcuts, **legend) -> None:
        self.app.push(HelpOverlay(self.app, title, shortcuts, **legend))

    # -- the game ------------------------------------------------------------------------------

    def play(self, session):
        """Show ``session`` on the battle screen, with the main menu (only) beneath it."""
        from game.ui.battle import BattleScene  # battle imports the navigator: a circle
        from game.ui.menus import MainMenuScene  # menus imports the navigator: a circle

        menu = next((s for s in self.app.stack if isinstance(s, MainMenuScene)), None)
        self.app.reset(menu or MainMenuScene(self.app))
        scene = BattleScene(self.app, session)
        self.app.push(scene)
        return scene

    def new_game(self) -> None:
        from game.ui.menus import NewGameScene  # menus imports the navigator: a circle

        self.app.push(NewGameScene(self.app))

    def tutorial(self):
        from game.ui.tutorial import start_tutorial  # tutorial imports the navigator: a circle

        return start_tutorial(self.app)

    def editor(self, path=None) -> None:
        from game.ui.editor import EditorScene  # editor imports the navigator: a circle

        self.app.push(EditorScene(self.app, path))

    def battle(self, session, replace: bool = False):
        from game.ui.battle import BattleScene  # battle imports the navigator: a circle

        scene = BattleScene(self.app, session)
        if replace:
            self.app.replace(scene)
        else:
            self.app.push(scene)
        return scene

    def handover(self, session, side: str, summary: list[str]) -> None:
        self.app.push(HandoverScene(self.app, session, side, summary))

    # -- play by e-mail --------------------------------------------------------------------------

    def pbem_open(self) -> None:
        """The screen that chooses a turn file to open (or a folder to watch)."""
        from game.ui.pbem_play import PbemOpenScene  # pbem_play imports the navigator: a circle

        self.app.push(PbemOpenScene(self.app))

    def pbem_new(self, folder=None) -> None:
        """The screen that starts a game by e-mail and writes its first turn file (into
        ``folder``, unless the player chooses another)."""
        from game.ui.pbem_new import PbemNewScene  # pbem_new imports the navigator: a circle

        self.app.push(PbemNewScene(self.app, folder))

    def pbem_turn(self, game, source, out_dir=None, waiting=None):
        """A turn opened from ``source`` on the battle screen, with what its side saw since its
        last turn over it; the main menu (and, in folder mode, the waiting screen) beneath."""
        from game.ui.menus import MainMenuScene  # menus imports the navigator: a circle
        from game.ui.pbem_play import PbemBattleScene  # pbem_play imports the navigator: a circle

        menu = next((s for s in self.app.stack if isinstance(s, MainMenuScene)), None)
        self.app.reset(menu or MainMenuScene(self.app))
        if waiting is not None:
            self.app.push(waiting)
        scene = PbemBattleScene(self.app, game, source, out_dir, waiting)
        self.app.push(scene)
        if scene.viewer is not None and game.side is not None:
            self.app.push(HandoverScene(self.app, game.session, scene.viewer, scene.summary,
                                        pass_device=False))
        return scene

    def results(self, session) -> None:
        """The results of a finished game, over its battle (which "View final map" uncovers
        again, and from which the results can be opened again)."""
        from game.ui.results import ResultsScene  # results imports the navigator: a circle

        self.app.push(ResultsScene(self.app, session))


__all__ = ["Navigator"]
