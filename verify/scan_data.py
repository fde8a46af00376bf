"""Scan results as a labelled xarray Dataset: assembly, NetCDF I/O and plots.

Storage (NetCDF4 through h5netcdf): NetCDF has no complex type, so a complex
variable ``K`` is stored as two float64 variables ``K_real`` and ``K_imag`` with
the same dimensions; :func:`load` recombines them into complex128.  Real-only
variables (the skyrmion quantities) are stored once.  The grid axes are float64
coordinates whose attribute ``exact_values`` lists the exact values the engine
used.  Values are float64 (about 16 significant digits) even when computed to
more digits; the file's ``precision`` attribute says how many were resolved.

>>> import numpy as np
>>> from streda.verify.scan import Axis, Variable
>>> ax = [Axis("eps", (1, 2), "1:2:2")]
>>> var = [Variable("K", (("row", ["x"]),), "1", "K")]
>>> ds = build_dataset(ax, var, [{"K": [["1.5", "0"]]}, {"K": [["2", "-1"]]}], {"title": "t"})
>>> ds["K_real"].values.tolist(), ds["K_imag"].dims
([[1.5], [2.0]], ('eps', 'row'))
>>> complex_view(ds)["K"].values[1, 0]
np.complex128(2-1j)
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

__all__ = ["build_dataset", "write_netcdf", "load", "complex_view", "plot_dataset", "ENGINE",
           "MAX_PLOT_PANELS"]

#: the xarray NetCDF engine (NetCDF4/HDF5 files, readable by netCDF4 and h5py)
ENGINE = "h5netcdf"
#: at most this many components of one variable are plotted (the first ones in C order)
MAX_PLOT_PANELS = 12


def build_dataset(axes, layout, results: list, attrs: dict):
    """An xarray Dataset from per-point ``results`` (grid C order) laid out as ``layout``."""
    import xarray as xr

    shape = tuple(len(a.values) for a in axes)
    coords = {}
    for a in axes:
        coords[a.name] = xr.Variable(a.name, np.array([float(v) for v in a.values], dtype=float),
                                     attrs={"exact_values": "; ".join(str(v) for v in a.values),
                                            "grid": a.spec})
    data = {}
    for var in layout:
        vshape = tuple(len(labels) for _, labels in var.dims)
        for dim, labels in var.dims:
            coords.setdefault(dim, np.array(labels))
        parts = np.array([[[float(x) for x in pair] for pair in r[var.name]] for r in results],
                         dtype=float).reshape(shape + vshape + (2,))
        dims = tuple(a.name for a in axes) + tuple(d for d, _ in var.dims)
        vattrs = {"units": var.units, "long_name": var.long_name}
        if var.complex:
            data[f"{var.name}_real"] = (dims, parts[..., 0], {**vattrs, "part": "real"})
            data[f"{var.name}_imag"] = (dims, parts[..., 1], {**vattrs, "part": "imaginary"})
        else:
            data[var.name] = (dims, parts[..., 0], vattrs)
    return xr.Dataset(data, coords=coords, attrs={k: _attr(v) for k, v in attrs.items()})


def _attr(v):
    return v if isinstance(v, (str, int, float)) else json.dumps(v, sort_keys=True)


def write_netcdf(ds, path) -> None:
    """Write ``ds`` to ``path`` atomically (:func:`streda.verify.outputs.atomic_path`)."""
    from .outputs import atomic_path

    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, engine=ENGINE)


def complex_view(ds):
    """``ds`` with every ``X_real``/``X_imag`` pair recombined into one complex variable ``X``."""
    out = ds.copy()
    for name in list(ds.data_vars):
        if name.endswith("_real") and name[:-5] + "_imag" in ds:
            base = name[:-5]
            out[base] = ds[name] + 1j * ds[base + "_imag"]
            out[base].attrs = {k: v for k, v in ds[name].attrs.items() if k != "part"}
            out = out.drop_vars([name, base + "_imag"])
    return out


def load(path):
    """Read a scan file written by ``streda scan`` (complex variables recombined)."""
    import xarray as xr

    with xr.open_dataset(path, engine=ENGINE) as ds:
        return complex_view(ds.load())


def plot_dataset(ds, axes, out_base: Path, fmt: str) -> list[Path]:
    """One figure per variable (real part): a line plot for a 1-axis grid, a map for a 2-axis
    grid; one panel per component that is not identically zero (at most :data:`MAX_PLOT_PANELS`).  Returns the files."""
    import matplotlib

    from .outputs import atomic_path

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cds = complex_view(ds)
    names = [a.name for a in axes]
    files = []
    for var in cds.data_vars:
        da = cds[var]
        part = " (real part)" if np.iscomplexobj(da.values) else ""
        da = da.real if part else da
        extra = [d for d in da.dims if d not in names]
        comps = da.stack(_c=extra) if extra else da.expand_dims(_c=[0])
        labels = ([", ".join(f"{d}={v}" for d, v in zip(extra, idx if isinstance(idx, tuple) else (idx,)))
                   for idx in comps["_c"].values] if extra else [var])
        keep = [j for j in range(len(labels)) if np.any(comps.isel(_c=j).values != 0)] or [0]
        zero = len(labels) - len(keep)
        comps, labels = comps.isel(_c=keep), [labels[j] for j in keep]
        n = min(len(labels), MAX_PLOT_PANELS)
        title = (f"{var}{part}" + (f", first {n} of {len(labels)} components" if n < len(labels) else "")
                 + (f"; {zero} components identically 0 not shown" if zero else ""))
        if len(names) == 1:
            fig, ax = plt.subplots(figsize=(7, 4.5))
            for j in range(n):
                ax.plot(cds[names[0]].values, comps.isel(_c=j).values, marker=".", label=labels[j])
            ax.set_xlabel(names[0])
            ax.set_ylabel(f"{var} [{da.attrs.get('units', '')}]")
            if n > 1:
                ax.legend(fontsize=7)
            ax.set_title(title, fontsize=9)
        else:
            cols = min(n, 4)
            rows = -(-n // cols)
            fig, axs = plt.subplots(rows, cols, figsize=(3.4 * cols, 3 * rows), squeeze=False)
            x, y = cds[names[1]].values, cds[names[0]].values
            for j in range(rows * cols):
                ax = axs[j // cols][j % cols]
                if j >= n:
                    ax.axis("off")
                    continue
                m = ax.pcolormesh(x, y, comps.isel(_c=j).transpose(names[0], names[1]).values,
                                  shading="nearest", cmap="RdBu_r")
                fig.colorbar(m, ax=ax)
                ax.set_title(labels[j], fontsize=8)
                ax.set_xlabel(names[1])
                ax.set_ylabel(names[0])
            fig.suptitle(title, fontsize=9)
        fig.tight_layout()
        path = out_base.with_name(f"{out_base.name}.{var}.{fmt}")
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None})
        plt.close(fig)
        files.append(path)
    return files
