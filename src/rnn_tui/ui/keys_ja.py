"""What each key does, in Japanese, for the help screen of `--lang ja` (the footer
keeps its short English labels, as the screen's own words stay English). By the
binding's action; `{all}` is who restarts or pauses ("両方とも" with two panels)."""

from __future__ import annotations

from collections.abc import Sequence

KEYS_JA = {
    "help": "ヘルプ：キーと、各グラフが何を示し、なぜそうなるか",
    "quit": "終了：ワーカーを止めて終わるのを待ち、ログを閉じる",
    "next_panel": "次のパネルを選ぶ",
    "view(1)": "選択中のパネルのビューを切り替える：勾配、学習中の勾配の流れ、"
               "法則（RNN）/ ゲート（LSTM、GRU）",
    "cell(1)": "選択中のパネルのセルを次の種類へ（{kinds}）。そのセル用のプリセットの設定で、"
               "同じデータのシードから再スタートする",
    "cell(-1)": "選択中のパネルのセルを前の種類へ",
    "seq_len(1)": "系列を長くする（{all}再スタート）",
    "seq_len(-1)": "系列を短くする（{all}再スタート）",
    "toggle_pause": "{all}一時停止 / 再開",
    "step": "{all}一時停止中に 1 ステップ学習する",
    "task": "タスクを切り替える（adding、copy）：{all}再スタート",
    "lr(1)": "選択中のパネルの学習率を上げる（再スタート）",
    "lr(-1)": "選択中のパネルの学習率を下げる（再スタート）",
    "reseed": "{all}新しいシードで再スタート",
    "preset": "tasks/ からプリセットを選ぶ",
    "scrub(-1)": "リプレイ：実行の 1/50 だけ戻る",
    "scrub(1)": "リプレイ：実行の 1/50 だけ進む",
    "scrub_to(0)": "リプレイ：最初へ",
    "scrub_to(1)": "リプレイ：最後へ",
    "screenshot": "スクリーンショット（SVG）を保存し、保存先を示す",
    # The sweep map's keys, and the screens it opens.
    "open_entry": "その項目の実行を重ねて描く（比較）",
    "open_dashboard": "その項目の実行の一つを、同じシードのほかのセルの実行と並べて開く"
                      "（リプレイ）",
    "next_column": "列をスイープした次のキーにする",
    "app.quit": "マップを閉じる：フォルダーに書き込んでいるスイープは続く",
    "dismiss": "マップに戻る",
}
QUIT_REPLAY_JA = "終了（リプレイなので、止めるワーカーも閉じるログもない）"
BACK_TO_MAP_JA = "スイープのマップに戻る"
SIDES = ("左", "右")


def everyone(panels: int) -> str:
    """Who a key acts on, as a prefix: "" with one panel, "両方とも" with two."""
    return "" if panels == 1 else "両方とも" if panels == 2 else f"{panels} つとも"


def key_text_ja(action: str, panels: int, kinds: Sequence[str] = ()) -> str | None:
    """The key's description in Japanese, None for an action not written here."""
    if action.startswith("select_panel("):
        index = int(action[len("select_panel("):-1])
        return (f"{SIDES[index]}のパネルを選ぶ" if panels == 2 and index < 2
                else f"パネル {index + 1} を選ぶ")
    text = KEYS_JA.get(action)
    if text is None:
        return None
    return text.format(all=everyone(panels), kinds="、".join(kinds))
