"""Teaching text for the help screen, in English and Japanese, filled with the live
numbers of the running models. Written for this project (the seed note is the source
of the facts, not of the sentences). `teaching_text(histories, lang)` gives Markdown."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rich.cells import cell_len

from ..run.config import SIMPLE_CELLS
from .history import RunHistory
from .profiles import (
    EXPLODES,
    GROWS,
    cell_kind,
    growth,
    horizon_text,
    law_rate,
    power_text,
    rate_horizon,
    scalar,
    sequence_length,
    share_text,
    steps_text,
    times,
    underflow_back,
)

LANGS = ("en", "ja")

INTRO = {
    "en": """\
## Why one forgets and the other remembers

The loss of step T reaches the input of step t only through the chain of steps in
between, and every link multiplies the gradient by a factor. **γ** below is that
factor per step. For a simple RNN the app takes it from the product of the factors
themselves, followed along the sequence (it needs no measured gradient, so it still
gives the rate where float32 has flushed the gradient to 0); for a gated cell it is
fitted to the measured ‖∂L/∂c_t‖ (or ‖∂L/∂h_t‖). The **horizon** is how many steps
back the gradient has shrunk 100-fold ("> T": it never did).
Press **v** to switch the selected panel between its plots, the gradient flow over
training, and the law / gates view.
""",
    "ja": """\
## なぜ一方は忘れ、もう一方は覚えているのか

ステップ T の損失がステップ t の入力に届くには、その間のステップを一つずつ
さかのぼるしかなく、一段ごとに勾配に係数が掛かります。下の **γ** はその一段あたりの
係数です。単純な RNN では、各段の係数そのものを系列に沿って掛け合わせた積から求めます
（実測の勾配を使わないので、float32 で勾配が 0 に落ちたところでも率が分かります）。
ゲート付きのセルでは、実測した ‖∂L/∂c_t‖（または ‖∂L/∂h_t‖）に当てはめた値です。
**到達範囲**は勾配が 100 分の 1 になるまでにさかのぼれるステップ数です
（「> T」はそこまで小さくならなかったという意味）。
**v** キーで、選択中のパネルを「勾配」（gradients）、「学習中の勾配の流れ」（gradient
flow）、「法則 / ゲート」（law / gates）に
切り替えられます。
""",
}

SIMPLE = {
    "en": """\
### Panel {slot}: {cell} (simple RNN)

Each step back multiplies the gradient by Wᵀ·diag(σ'_t). The textbook argument is an
inequality: no step can stretch the gradient by more than σ_max(W) · max σ' =
{sigma} × {dsigma_max} = **{bound}**, the bound. Below 1 the bound guarantees that the
gradient vanishes; above 1 it only permits an explosion, it does not promise one. The
rate the model actually has is the product's: those very factors, multiplied along the
sequence, give **{product}** per step, and that is the number the app shows (the fit of
the measured gradient gives {gamma}{zero}). {verdict} Over the {back} steps of the
sequence, γ^k falls exponentially with the distance k: that is why a simple RNN
{fate}. Mean σ'
({dsigma}) times the spectral radius ρ(W) ({rho}) gives {meanfield}: neither the rate
nor a bound, a shortcut that can point the wrong way.
""",
    "ja": """\
### パネル {slot}：{cell}（単純な RNN）

一段さかのぼるごとに勾配には Wᵀ·diag(σ'_t) が掛かります。教科書的な議論は不等式に基づきます。
一段で勾配が伸びるのは、最大でも
σ_max(W) · max σ' = {sigma} × {dsigma_max} = **{bound}**（上界）までです。
上界が 1 より小さければ勾配は必ず消えますが、
1 より大きくても爆発が許されるだけで、爆発するとは限りません。
モデルの実際の率は、積から求まる率です。その係数そのものを系列に沿って掛け合わせると
一段あたり **{product}** になり、アプリが示すのはこの値です
（実測した勾配に当てはめると {gamma} になります{zero_ja}）。{verdict}
系列の {back} ステップにわたって γ^k は距離 k に対して指数関数的に効くので、
単純な RNN は {fate}。
σ' の平均（{dsigma}）とスペクトル半径 ρ(W)（{rho}）の積 {meanfield} は、
率でも上界でもなく、向きを誤ることもある近道です。
""",
}

GATED = {
    "en": """\
### Panel {slot}: {cell} (gated)

On the direct path along the {state}, one step back multiplies the gradient by the
{gate} gate alone, so what carries memory is each unit's *product* of {gate} gates
from t to the end.
Right now **{held}** of the (sequence, unit) pairs of the batch keep that product
above 0.1 across the whole sequence (one unit holding in every sequence is 1/H), while
the product of the *average* {gate} gate over it is only {mean_product}{hide}
The factor along this path is γ = **{gamma}**, horizon **{horizon}**. {verdict}{other}
""",
    "ja": """\
### パネル {slot}：{cell}（ゲート付き）

{state_ja} に沿った直接の経路では、一段さかのぼるごとに勾配に掛かるのは
{gate_ja}ゲートだけです。
記憶を運ぶのは、t から最後までの{gate_ja}ゲートの*積*をユニットごとに取ったものです。
現在のバッチの（系列、ユニット）の組のうち、系列全体にわたってその積が 0.1 を超えているのは
**{held}** です（どの系列でもユニット 1 つが保つなら 1/H）。
一方、{gate_ja}ゲートの*平均*を系列全体で掛け合わせると {mean_product} にしかなりません。{hide_ja}
この経路の係数は γ = **{gamma}**、到達範囲は **{horizon}**です。{verdict}{other_ja}
""",
}

WAITING = {"en": "### Panel {slot}: {cell}\n\nWaiting for the first gradient profile.\n",
           "ja": "### パネル {slot}：{cell}\n\n最初の勾配プロファイルを待っています。\n"}

VERDICTS = {
    "en": {"grows": "γ > 1: the gradient grows going back, x{growth} over the sequence: it "
                    "explodes.",
           "rises": "γ > 1: the gradient grows going back, x{growth} over the sequence.",
           "reaches": "The gradient reaches the start of the sequence: it can learn from it.",
           "fades": "It falls 100-fold within {horizon}: what lies further back is out of "
                    "reach.",
           "fate_forgets": "forgets everything older than its horizon",
           "fate_explodes": "explodes unless W is held near ρ = 1",
           "fate_reaches": "can reach this far only while γ stays at 1"},
    "ja": {"grows": "γ > 1 なので、さかのぼるほど勾配は大きくなり（系列全体で {growth} 倍）、"
                    "爆発します。",
           "rises": "γ > 1 なので、さかのぼるほど勾配は大きくなります（系列全体で {growth} 倍）。",
           "reaches": "勾配は系列の最初まで届いています。系列の最初の入力からも学習できます。",
           "fades": "{horizon}さかのぼると 100 分の 1 になり、それより前には届きません。",
           "fate_forgets": "到達範囲より前のことを忘れてしまいます",
           "fate_explodes": "W を ρ = 1 付近に保たない限り爆発します",
           "fate_reaches": "γ が 1 に保たれている間だけ、ここまで届きます"},
}

GATE_JA = {"forget": "忘却", "update": "更新"}
STATE = {"en": {"c": "cell state c", "h": "hidden state h"},
         "ja": {"c": "セル状態 c", "h": "隠れ状態 h"}}


def mean_log10(means: Sequence[float]) -> float | None:
    """log10 of the product of the per-timestep mean gate over the sequence (the product
    itself underflows at T = 1000): what the gradient would keep if every unit had the
    average gate."""
    if not means or any(not m > 0 for m in means):
        return None if not means else -math.inf
    return sum(math.log10(m) for m in means)



def number(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}g}"


def horizon_span(horizon: float | None, seq_len: int, lang: str) -> str:
    """The horizon in words of `lang` ("12 steps", "1 step", "12 ステップ")."""
    span = horizon_text(horizon, seq_len)
    if lang == "ja" and span.startswith("> "):  # ("到達範囲は > 100 です" read oddly)
        return f"{span[2:]} ステップ超"
    return span.removesuffix(" steps").removesuffix(" step") + " ステップ" if (
        lang == "ja" and span[:1].isdigit()) else span


def _verdict(lang: str, gamma: float | None, horizon: float | None,
             seq_len: int) -> tuple[str, str]:
    words = VERDICTS[lang]
    span = horizon_span(horizon, seq_len, lang)
    if gamma is not None and gamma > GROWS:
        # An explosion when the growth over the sequence passes 1000x, as the law view
        # says (it said "grows a little; W sits at the edge" of a ReLU RNN's x380 at
        # ρ(W) = 1.5 beside the law view's "GROWS", and of an LSTM's cell path, no W).
        grown = growth(gamma, seq_len)
        word = "grows" if grown > EXPLODES else "rises"
        return words[word].format(growth=times(grown)), words["fate_explodes"]
    if horizon is not None and math.isinf(horizon):
        return words["reaches"], words["fate_reaches"]
    return words["fades"].format(horizon=span), words["fate_forgets"]


def panel_text(slot: int, history: RunHistory, lang: str = "en") -> str:
    """One panel's paragraph with its latest numbers."""
    lang = lang if lang in LANGS else "en"
    latest = history.last_profile
    cell = cell_kind(history) or "?"
    if latest is None:
        return WAITING[lang].format(slot=slot + 1, cell=cell)
    seq_len = sequence_length(history)
    if cell in SIMPLE_CELLS or "rho_W" in latest.scalars:
        gamma, _ = law_rate(latest)
        horizon = None if gamma is None else rate_horizon(gamma, seq_len)
        verdict, fate = _verdict(lang, gamma, horizon, seq_len)
        zero = underflow_back(latest.dh_norms)
        meanfield = scalar(latest, "gamma_meanfield")
        return SIMPLE[lang].format(
            slot=slot + 1, cell=cell, rho=number(scalar(latest, "rho_W")),
            # The bound's factors to 4 figures, the bound to 3: "6.64 × 1 = 6.63" (max σ'
            # 0.9998) did not multiply out for a student checking it.
            sigma=number(scalar(latest, "sigma_max_W"), 4),
            dsigma=number(scalar(latest, "dsigma_mean")),
            dsigma_max=number(scalar(latest, "dsigma_max"), 4),
            bound=number(scalar(latest, "gamma_bound")),
            product=number(scalar(latest, "gamma_product")),
            meanfield=number(meanfield if meanfield is not None
                             else scalar(latest, "gamma_predicted")),
            gamma=number(scalar(latest, "gamma_h")),
            zero="" if zero is None else f"; it is 0 from {steps_text(zero)} back",
            zero_ja="" if zero is None else f"。実測は {zero} ステップ前から 0 です",
            verdict=verdict, back=seq_len - 1, fate=fate)
    gate = "forget" if "forget_hold_all" in latest.scalars else "update"
    held = scalar(latest, f"{gate}_hold_all")
    path = "c" if "gamma_c" in latest.scalars else "h"
    gamma, horizon = scalar(latest, f"gamma_{path}"), scalar(latest, f"horizon_{path}")
    verdict, _ = _verdict(lang, gamma, horizon, seq_len)
    span = horizon_span(horizon, seq_len, lang)
    product = mean_log10(latest.series.get(f"{gate}_mean", []))
    # Where no unit holds the whole way there are no few units for averages to hide, and a
    # gradient that still reaches back does not go along the gates alone (a solved GRU:
    # 0 of 2048 pairs held while its ‖∂L/∂h_t‖ was level).
    holds = held is None or held > 0
    other = not holds and horizon is not None and math.isinf(horizon)
    return GATED[lang].format(
        slot=slot + 1, cell=cell, gate=gate, gate_ja=GATE_JA[gate],
        state=STATE["en"][path], state_ja=STATE["ja"][path],
        mean_product="–" if product is None else power_text(product),
        held=share_text(held), gamma=number(gamma),
        horizon=span, verdict=verdict,
        hide=": averages hide the few units that hold." if holds else ".",
        hide_ja="平均では、記憶を保っている少数のユニットが見えなくなるのです。" if holds else "",
        other=(f" No unit holds the whole way: what reaches back also goes through the "
               f"recurrent weights, not only along the {gate} gates.") if other else "",
        other_ja=(f"全体を通して保つユニットはありません。最初まで届く勾配は{GATE_JA[gate]}"
                  f"ゲートに沿う経路だけでなく、再帰重みも通っています。") if other else "")


def unwrap_japanese(markdown: str) -> str:
    """Markdown turns a line break inside a paragraph into a space, which Japanese does
    not put between words: join each paragraph's lines with nothing instead, or with a
    space where Latin text meets (「では 1e-17」, as the text spaces numbers)."""
    paragraphs = markdown.split("\n\n")
    text = "\n\n".join(p if p.startswith("#") else join_lines(p.split("\n"))
                       for p in paragraphs)
    # A space a filled-in value leaves between two Japanese characters ("RNN は 到達範囲",
    # "30 ステップ** です", bold or not) is not Japanese either.
    text = SPACE_IN_JAPANESE.sub(r"\1\2", text)
    # Quantities and formulas kept on one line: lines break at spaces, and "100 分の" /
    # "1 になり", "γ =" / "1、" and a formula cut in two read badly (review).
    text = re.sub(r"(\d) 分の (\d)", "\\1\u00a0分の\u00a0\\2", text)
    text = re.sub(r" = |> (?=[T\d])|「[\x20-\x7e]+」", lambda m: m[0].replace(" ", "\u00a0"),
                  text)  # (and an English label quoted whole: 「all 220 steps」)
    return CODE_SPAN.sub(lambda m: m[0].replace(" ", "\u00a0"), text)


JAPANESE = "\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef"  # punctuation, kana, kanji, full-width
SPACE_IN_JAPANESE = re.compile(f"(?<=[{JAPANESE}])(\\**) (\\**)(?=[{JAPANESE}])")
CODE_SPAN = re.compile(r"`[^`]+`")
PUNCTUATION_JA = frozenset("、。，．・：；？！（）「」『』【】")


def join_lines(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        ends = (text[-1], line[0]) if text and line else ("", "")
        latin = any(cell_len(c) == 1 for c in ends) and not PUNCTUATION_JA.intersection(ends)
        text += (" " if latin else "") + line
    return text


def teaching_text(histories: Sequence[RunHistory], lang: str = "en") -> str:
    """The whole teaching section: the idea, then each panel with its live numbers."""
    lang = lang if lang in LANGS else "en"
    text = "\n".join([INTRO[lang]] + [panel_text(slot, history, lang)
                                      for slot, history in enumerate(histories)])
    return unwrap_japanese(text) if lang == "ja" else text
