"""What the help says of the panels' plots, and its title line, in English and Japanese
(`--lang`). The Japanese is written, not machine-translated; a line break inside a
paragraph joins without a space (`help_text.unwrap_japanese`)."""

from __future__ import annotations

from .help_text import LANGS, unwrap_japanese

TITLE = {
    "en": "[b]rnn-tui[/b]: keys (also in the command palette, ctrl+p)"
          "[dim] · q or esc: close · ↑ ↓ pgup pgdn: scroll[/]",
    "ja": "[b]rnn-tui[/b]：キー（ctrl+p のコマンドパレットにも）"
          "[dim] · q、esc：閉じる · ↑ ↓ pgup pgdn：スクロール[/]",
}

PLOTS = {
    "en": """\
## What you are looking at

Every panel trains on **the same batches** of a task that needs memory. In *adding*,
two numbers far apart must be summed at the end; in *copy*, ten symbols must be
recalled after a long gap. A model that remembers nothing can only guess: that is the
**memoryless baseline** drawn across the loss plot.

**Loss** (log scale): faint is each step's loss, bold a smoothed one. A model that
has found the memory drops through the baseline line; one that has not sits on it.

**Gradient** ‖∂L/∂h_t‖ against *steps back from the loss* (log scale). Going back one
step multiplies the gradient by σ'·W. For the tanh RNN σ' is often small, so the
product shrinks exponentially with the distance: a few steps back it is 1e-5, a few
dozen back it reaches 1e-17 or underflows to exactly **0** (drawn as `x` on the
bottom row, labelled 0). Nothing that far back can learn: the RNN forgets. The faint line is the
first profile of the run, for comparison; the RNN *learns* to forget.

On *copy*, L here is **the recall's loss**, its last ten steps: the blanks before it
need no memory, and their own gradient, fresh at every step, would hide how the
memory's fades (training still uses the whole loss).

For the LSTM, ‖∂L/∂c_t‖ follows the cell path, `c_t = f_t * c_{t-1} + i_t * c̃_t`,
where going back one step multiplies only by the forget gate f. While the LSTM sits
on the baseline this profile falls steeply too; when it solves the task, some units
hold f near 1 across the whole gap and the profile **turns level**: the gradient
reaches the start of the sequence and the memory is kept.

**State** ‖h_t‖ (and ‖c_t‖ for the LSTM) across the sequence, from the latest step
(log scale, so that the LSTM's ‖h_t‖ stays in sight under its larger ‖c_t‖).

## The other views (`v`, for the selected panel)

**Gradient flow**: a heatmap of the same gradient over training. Rows are profiles
(the first step at the top, the latest at the bottom, the step written on the left),
columns are timesteps t (the loss at the right edge), colour is log10 of the norm on
one fixed scale from 1e-20 to 1e6 for every panel, so colours compare across panels.
**Blue** is exactly 0 (it underflowed), a colour the scale never uses. Watch the tanh
RNN's rows darken from the left as it trains, and the LSTM's turn bright from edge to
edge where it solves. Below it, the **memory horizon** per profile: steps back until
the gradient is 100x smaller; "> T" (its own row, above the T line) means it never
gets that small within the sequence. (On copy the sequence is T+20 steps long, and the
line and its row say that length: "all 220 steps", "> 220".)

**Law** (tanh RNN, ReLU RNN, IRNN): each step back multiplies the gradient by σ'·W.
The plot draws the latest profile divided by its value at the loss, against steps
back, with two dotted lines (the caption names each): the rate of the **exact
product** of those steps (the rate the model has), and the **bound** σ_max(W)·max σ'
(an envelope the measurement never crosses: below 1 it guarantees vanishing, above 1
it only permits growth). The table gives ρ(W), σ_max(W), σ' and each rate at step 1
and now; the line above it says what the product means: how many steps back the
gradient is 100x smaller, or that it grows.

**Gates** (LSTM, GRU): along the cell path the gradient is multiplied by the forget
gate alone, so memory lives in each unit's **product** of f from t to the end. The
upper plot draws the share of (sequence, unit) pairs whose product stays above 0.1,
with the median and 10-90% band of f (for the GRU, its update gate z); the lower one
‖∂L/∂c_t‖ and ‖∂L/∂h_t‖.
A solved LSTM's median f is far below 1: a few units holding f near 1 carry the memory.

The status line gives cell, hidden size, learning rate, steps per second, the
smoothed loss and task metric, and the step (and time) at which the model first
beat the baseline (smoothed loss below 90% of it) and first counted as solved.
The metric (`m` in a narrow panel) is, like the loss, a mean over the last 50 steps:
on *adding* the share of answers within 0.04 of the true sum, on *copy* the share of
recalled symbols that are right. Solved means a smoothed loss of at most 0.01 on
adding, a metric of at least 0.99 on copy.
""",
    "ja": """\
## 画面の見かた

どのパネルも、記憶を必要とするタスクの**同じバッチ**で学習します。*adding* では、
遠く離れた 2 つの数を最後に足し合わせます。*copy* では、10 個の記号を長い空白の
あとで思い出します。何も覚えていないモデルには当て推量しかできません。それが損失の
グラフに引かれた**記憶なしのベースライン**です。

**損失**（対数軸）：薄い線は各ステップの損失、太い線は平滑化した損失です。記憶を
見つけたモデルはベースラインの線を下に突き抜け、見つけていないモデルはその上に
とどまります。

**勾配** ‖∂L/∂h_t‖ を、*損失からさかのぼったステップ数*に対して描きます（対数軸）。
一段さかのぼるごとに、勾配には σ'·W が掛かります。tanh RNN では σ' が小さいことが
多く、積は距離とともに指数関数的に縮みます。数ステップ前で 1e-5、数十ステップ前では
1e-17 に達するか、ちょうど **0** にアンダーフローします（最下行に `x` で描き、0 と
記します）。そこまで前のものは何も学習できません。RNN は忘れるのです。薄い線は
比較のために描いた、学習の最初のプロファイルです。RNN は忘れることを*学ぶ*のです。

*copy* では、ここでの L は**思い出す部分の損失**、つまり最後の 10 ステップです。
その前の空白は記憶を必要とせず、その勾配は毎ステップ新しく生じるため、含めると記憶の
勾配の減衰が隠れてしまうからです（学習には損失全体を使います）。

LSTM では、‖∂L/∂c_t‖ がセルの経路 `c_t = f_t * c_{t-1} + i_t * c̃_t` をたどります。
この経路を一段さかのぼるごとに掛かるのは、忘却ゲート f だけです。LSTM がベースライン
上にいる間は、このプロファイルも急な傾きで落ちます。タスクを解くと、一部のユニットが空白の
全体にわたって f を 1 近くに保ち、プロファイルは**水平になります**。勾配が系列の
最初まで届き、記憶が保たれるのです。

**状態** ‖h_t‖（LSTM では ‖c_t‖ も）を、最新のステップについて系列に沿って描きます
（対数軸。LSTM の ‖h_t‖ が、より大きな ‖c_t‖ の下でも見えるように）。

## ほかのビュー（`v`、選択中のパネル）

**勾配の流れ**（gradient flow）：同じ勾配を、学習を通してヒートマップにしたものです。
行はプロファイル
（最初のステップが上、最新が下、左にステップ数）、列は時刻 t（損失は右端）、色は
ノルムの log10 です。スケールはどのパネルにも共通の 1e-20 から 1e6 までの固定なので、
パネルの間で色を比べられます。**青**はちょうど 0（アンダーフロー）で、スケールでは
使わない色です。tanh RNN の行が学習につれて左から暗くなり、LSTM の行が解けたところで
端から端まで明るくなる様子を見てください。その下は、プロファイルごとの**記憶の到達
範囲**：勾配が 100 分の 1 になるまでにさかのぼるステップ数です。「> T」（T の線の
上の専用の行）は、系列の中でそこまで小さくならないことを意味します。（*copy* では
系列の長さは T+20 ステップで、線とその行はその長さを示します：「all 220 steps」、
「> 220」。）

**法則**（law：tanh RNN、ReLU RNN、IRNN）：一段さかのぼるごとに、勾配には σ'·W が
掛かります。グラフは最新のプロファイルを損失での値で割ったものを、さかのぼった
ステップ数に対して描き、点線を 2 本添えます（キャプションがそれぞれの名前を示します）。
一方はそのステップ群の**厳密な積**の率（モデルが実際に持つ率）、もう一方は**上界**
σ_max(W)·max σ' です。上界は測定値が決して越えない包絡線で、1 より小さければ消失を
保証し、1 より大きければ増大を許すだけです。表は ρ(W)、σ_max(W)、σ' と、それぞれの
率のステップ 1 と現在の値を示し、その上の行は積が何を意味するか、つまり勾配が 100 分の
1 になるまでに何ステップさかのぼるか、あるいは増大するかを述べます。

**ゲート**（gates：LSTM、GRU）：セルの経路に沿っては、勾配に忘却ゲートだけが掛かるので、
記憶は各ユニットの f の**積**に宿ります。上のグラフは、その積が 0.1 を超えたままの
（系列、ユニット）の組の割合を、f の中央値と 10–90% の帯とともに描きます（GRU では
更新ゲート z）。下のグラフは ‖∂L/∂c_t‖ と ‖∂L/∂h_t‖ です。
解けた LSTM の f の中央値は 1 よりずっと小さく、記憶を運ぶのは f を 1 近くに保つ
少数のユニットです。

ステータス行は、セル、隠れ層の大きさ、学習率、毎秒のステップ数、平滑化した損失と
タスクの指標、そしてモデルが初めてベースラインを破ったステップ（と時刻）と、初めて
解けたとみなされたステップを示します（「beat @」と「solved @」。破ったとは、平滑化
した損失がベースラインの 90% を下回ったことです）。指標（狭いパネルでは `m`）は損失と
同じく直近 50 ステップの平均で、*adding* では真の和との差が 0.04 以内の答えの割合、
*copy* では正しく思い出した記号の割合です。解けたとは、*adding* では平滑化した損失が
0.01 以下、*copy* では指標が 0.99 以上になったことです。
""",
}


def plots_text(lang: str) -> str:
    """What each plot shows, in `lang` ("en" or "ja")."""
    if lang == "ja":
        return unwrap_japanese(PLOTS["ja"])
    return PLOTS[lang if lang in LANGS else "en"]
