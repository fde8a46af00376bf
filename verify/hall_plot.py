"""σ_xy against ε with and without the crossed X and Ψ diagrams (issue 10, item 3).

The curves are the engine's (:func:`streda.integrals.hall.hall_conductivity` with
``diagrams="ladder"`` and ``"ladder+crossed"``); the printed EPL form is drawn only as
markers to compare against.  For the report: :func:`hall_curves` (data),
:func:`hall_figure` (a matplotlib Figure, Agg), :func:`hall_svg` (inline SVG text) and
:func:`hall_plot` (files).  The Rashba ferromagnet: :func:`rashba_curves` and
:func:`rashba_figure` (ladder: zero with both subbands; ladder + X + Ψ from
:mod:`streda.integrals.crossed_rashba`, one to two minutes a point at the default step).

>>> d = hall_curves(eps_over_m=(0.5, 2))
>>> d["ladder"], [round(v, 12) for v in d["ladder+crossed"]]
([-0.5, -0.8163265306122449], [-0.5, -0.326530612245])
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["hall_curves", "hall_figure", "hall_svg", "hall_plot", "rashba_curves", "rashba_figure",
           "DEFAULT_EPS", "RASHBA_EPS", "MAX_POINTS"]

#: ε/m of the default curve (m = 1): in the gap, near the band edge, and up to 8
DEFAULT_EPS = tuple([0.25, 0.5, 0.75, 0.99] + [1.02, 1.05, 1.1, 1.2, 1.35, 1.5, 1.75, 2, 2.5, 3, 3.5, 4,
                                               5, 6, 7, 8])
MAX_POINTS = 200
#: ε of the Rashba curve (Δ = 3/10, M_z = 2/5, m = 1): one subband below ε = M_z, two above
RASHBA_EPS = ("1/5", "3/10", "1/2", "3/5", "4/5", "1", "5/4", "3/2", "2")
#: at most this many Rashba points (each runs the crossed quadrature)
MAX_RASHBA_POINTS = 40


def hall_curves(model: str = "dirac", eps_over_m=DEFAULT_EPS) -> dict:
    """{"eps": [...], "ladder": [...], "ladder+crossed": [...], "printed": [...]} (e²/h, m = 1)."""
    from fractions import Fraction

    from streda.integrals.hall import hall_conductivity

    from .printed import literature as lit

    if model != "dirac":
        raise ValueError("hall_curves: crossed diagrams are evaluated for the dirac model only")
    eps_over_m = list(eps_over_m)
    if not 0 < len(eps_over_m) <= MAX_POINTS:
        raise ValueError(f"hall_curves: 1..{MAX_POINTS} points")
    out = {"eps": [], "ladder": [], "ladder+crossed": [], "printed": []}
    for e in eps_over_m:
        fr = Fraction(e).limit_denominator(10 ** 6)
        params = f"eps={fr.numerator}/{fr.denominator},m=1"
        lad = hall_conductivity(model, params)
        cr = hall_conductivity(model, params, "ladder+crossed")
        out["eps"].append(float(fr))
        out["ladder"].append(float(lad.sigma_xy))
        out["ladder+crossed"].append(float(cr.sigma_xy))
        out["printed"].append(float(lit.dirac_crossed(fr.numerator / fr.denominator, 1) if fr > 1
                                    else lit.dirac_gap(1)))
    return out


def hall_figure(data: dict | None = None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = data or hall_curves()
    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    ax.plot(d["eps"], d["ladder"], "o-", ms=3, label="ladder (non-crossing)")
    ax.plot(d["eps"], d["ladder+crossed"], "s-", ms=3, label="ladder + X + $\\Psi$")
    ax.plot(d["eps"], d["printed"], "k+", ms=7, label="Ado et al. EPL 2015 (printed form)")
    return _finish(fig, ax, 1, "$\\varepsilon / m$", "massive Dirac, leading order in disorder")


def hall_svg(data: dict | None = None) -> str:
    """The Dirac figure as inline SVG text (deterministic: fixed hash salt, no date)."""
    return figure_svg(hall_figure(data))


def rashba_svg(data: dict) -> str:
    """The Rashba figure (:func:`rashba_figure`) as inline SVG text."""
    return figure_svg(rashba_figure(data))


def figure_svg(fig) -> str:
    """A matplotlib figure as SVG text, deterministic (fixed hash salt, no date); closes it."""
    import io

    import matplotlib
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "streda-hall", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def hall_plot(out_dir: "str | Path", data: dict | None = None, stem: str = "hall_sigma_xy") -> list[Path]:
    """Write ``<stem>.svg`` and ``<stem>.png`` into an existing directory; returns the paths."""
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ValueError(f"hall_plot: {out_dir} is not a directory")
    fig = hall_figure(data)
    paths = []
    for ext in ("svg", "png"):
        p = out_dir / f"{stem}.{ext}"
        fig.savefig(p, metadata={"Date": None} if ext == "svg" else None)
        paths.append(p)
    plt.close(fig)
    return paths


def rashba_curves(eps=RASHBA_EPS, params: str = "Delta=3/10,Mz=2/5,m=1", step: float = 1 / 4) -> dict:
    """{"eps", "ladder", "ladder+crossed", "error"} for the Rashba ferromagnet (e²/h)."""
    from streda.integrals import hall as H

    eps = list(eps)
    if not 0 < len(eps) <= MAX_RASHBA_POINTS:
        raise ValueError(f"rashba_curves: 1..{MAX_RASHBA_POINTS} points")
    out = {"eps": [], "ladder": [], "ladder+crossed": [], "error": []}
    for e in eps:
        r = H.hall_conductivity("rashba", f"eps={e},{params}", "ladder+crossed", crossed_step=step)
        out["eps"].append(float(H.isotropic_point("rashba", f"eps={e},{params}").eps))
        out["ladder"].append(float(r.sigma_xy) - float(r.parts["crossed"]))
        out["ladder+crossed"].append(float(r.sigma_xy))
        out["error"].append(float(r.parts["crossed_error"]))
    return out


def rashba_figure(data: dict):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    ax.plot(data["eps"], data["ladder"], "o-", ms=3, label="ladder (non-crossing)")
    ax.errorbar(data["eps"], data["ladder+crossed"], yerr=data["error"], fmt="s-", ms=3,
                label="ladder + X + $\\Psi$")
    return _finish(fig, ax, 0.4, "$\\varepsilon$  ($M_z = 0.4$, $\\Delta = 0.3$, $m = 1$)",
                   "Rashba ferromagnet, leading order in disorder")


def _finish(fig, ax, edge: float, xlabel: str, title: str):
    """The common frame of the σ_xy(ε) figures: zero line, the band edge dotted, σ_xy in e²/h."""
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(edge, color="0.7", lw=0.8, ls=":")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("$\\sigma_{xy}$  ($e^2/h$)")
    ax.set_title(title)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
