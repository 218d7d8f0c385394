"""The embedded sample market: seeded, fixed, realistic-looking US equities.

A fresh machine without network or the real snapshot must still produce a full report, so the
project generates its own market. Everything comes from one seed and a fixed last session
(2026-02-06), so the data is the same on every machine and every day. Member tickers and company
names are invented (NVDA excepted: it is on the default watch list) so nobody mistakes the
figures for real data.

The model: a market factor with GJR-GARCH volatility and regime targets, a small-minus-large
size factor, 11 sector factors and idiosyncratic noise with earnings jumps. The S&P 500 is the
cap-weighted index of the members and the market factor is fitted so that it passes through a
fixed path (rallies, a spring-2025 sell-off, a rally day on the last session). Sector ETFs, XLG
and RSP are baskets of the members, the Dow a price-weighted basket steered through its own path
(first close above 50,000 on the last session), the Russell 2000 and the VIX share the factors.
The Russell 2000 beats the S&P 500 on each of the last SMALL_CAP_RUN sessions. Prices are
rounded to cents and volumes to whole shares, which also hides last-bit floating-point
differences between machines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from reporter.calendar import sessions
from reporter.errors import SourceError
from reporter.model import PRICE_COLUMNS, SourceInfo
from reporter.vocabulary import SECTOR_ETFS

SEED = 20260206
#: Changes only when the generator changes; the store keys cached history on it.
VERSION = f"sample-v1-{SEED}"
FIRST_SESSION = dt.date(2023, 1, 3)
LAST_SESSION = dt.date(2026, 2, 6)

INDICES = ("^GSPC", "^RUT", "^IXIC", "^DJI", "^VIX")
SIZE_PROXIES = ("XLG", "RSP", "SPY", "IWM")
WATCHLIST = ("NVDA",)

#: Members listed inside the period: (sector, position in the sector, first session, rows before
#: the listing with volume 0). Like the real data, where a few members begin late and one carries
#: flat zero-volume rows before it traded.
_LISTINGS = (
    ("Industrials", 40, "2024-04-02", False),
    ("Health Care", 45, "2025-06-10", False),
    ("Materials", 20, "2024-07-08", True),
)
#: One member has no row on one session (the real data has such a gap too).
_GAP = ("Financials", 50, "2025-11-12")


@dataclass(frozen=True)
class _Sector:
    count: int  # members (realistic GICS proportions of a 503-member index)
    beta: float  # typical market beta
    factor_sd: float  # daily volatility of the sector factor in calm markets
    idio_vol: float  # typical annualised idiosyncratic volatility of a member
    etf_close: float  # the SPDR ETF's close on the last session
    etf_volume: float  # the ETF's typical daily volume
    rut_weight: float  # the sector's weight in the Russell 2000
    suffixes: tuple[str, ...]  # company-name endings that sound like the sector


_SECTORS: dict[str, _Sector] = {
    "Information Technology": _Sector(
        70, 1.20, 0.0065, 0.30, 141.37, 9.0e6, 0.13,
        ("Systems", "Software", "Semiconductor", "Networks", "Micro", "Digital", "Technologies"),
    ),
    "Financials": _Sector(
        72, 1.05, 0.0060, 0.22, 54.18, 4.2e7, 0.17,
        ("Financial", "Bancorp", "Capital", "Insurance", "Trust", "Payments"),
    ),
    "Energy": _Sector(
        22, 0.85, 0.0110, 0.26, 47.92, 1.6e7, 0.05,
        ("Energy", "Petroleum", "Resources", "Oil & Gas", "Midstream"),
    ),
    "Health Care": _Sector(
        62, 0.75, 0.0060, 0.26, 156.84, 8.0e6, 0.16,
        ("Health", "Therapeutics", "Medical", "Biosciences", "Pharmaceuticals", "Diagnostics"),
    ),
    "Industrials": _Sector(
        78, 1.00, 0.0050, 0.22, 171.05, 9.0e6, 0.17,
        ("Industries", "Aerospace", "Rail", "Machinery", "Logistics", "Electric"),
    ),
    "Consumer Staples": _Sector(
        37, 0.60, 0.0050, 0.17, 83.46, 1.0e7, 0.03,
        ("Foods", "Brands", "Beverage", "Household Products", "Grocers"),
    ),
    "Consumer Discretionary": _Sector(
        50, 1.15, 0.0060, 0.27, 117.63, 4.5e6, 0.10,
        ("Motors", "Retail", "Hotels", "Apparel", "Restaurants", "Homes"),
    ),
    "Utilities": _Sector(
        31, 0.55, 0.0070, 0.15, 44.29, 1.2e7, 0.03,
        ("Power", "Utilities", "Electric & Gas", "Water"),
    ),
    "Materials": _Sector(
        27, 1.00, 0.0060, 0.22, 50.61, 7.0e6, 0.04,
        ("Chemicals", "Materials", "Steel", "Packaging", "Mining"),
    ),
    "Real Estate": _Sector(
        31, 0.90, 0.0070, 0.20, 42.07, 6.0e6, 0.06,
        ("Realty", "Properties", "Residential", "Towers"),
    ),
    "Communication Services": _Sector(
        23, 1.10, 0.0060, 0.26, 116.92, 5.0e6, 0.03,
        ("Media", "Communications", "Interactive", "Entertainment", "Wireless"),
    ),
}

#: The largest members at the last session (market cap in dollars), the first members of their
#: sector; NVDA is the first of Information Technology.
_MEGA_CAPS: dict[str, tuple[float, ...]] = {
    "Information Technology": (4.5e12, 3.9e12, 3.6e12, 1.5e12, 7.0e11),
    "Communication Services": (3.7e12, 1.8e12),
    "Consumer Discretionary": (2.4e12, 1.4e12),
    "Financials": (1.05e12, 8.0e11, 7.0e11),
    "Health Care": (9.0e11, 6.0e11),
    "Consumer Staples": (8.0e11,),
    "Energy": (5.0e11,),
}

#: Dow Jones members: the largest members of each sector, this many per sector (30 in all).
_DOW_QUOTA = {
    "Information Technology": 4, "Financials": 5, "Health Care": 5, "Industrials": 5,
    "Consumer Discretionary": 3, "Consumer Staples": 3, "Energy": 2,
    "Communication Services": 2, "Materials": 1,
}

#: Closes on the last session; each path is scaled to end there. (The S&P 500, the Dow and the
#: Russell 2000 follow their own paths below.)
_LAST_CLOSE = {"^IXIC": 23086.71, "XLG": 58.73, "RSP": 198.46, "NVDA": 185.41}
#: Typical daily volumes of the non-member series (^VIX has none, as in the real data).
_VOLUME = {
    "^GSPC": 4.6e9, "^DJI": 4.2e8, "^IXIC": 7.5e9, "^RUT": 3.9e9, "^VIX": 0.0,
    "XLG": 1.2e6, "RSP": 8.0e6, "SPY": 7.0e7, "IWM": 3.2e7,
}
#: Trailing earnings per share of the ETFs at the last session, for their P/E.
_TRAILING_EPS = {"SPY": 25.38, "IWM": 14.70}

#: Market regimes as (first day, last day, annualised volatility target); 11.5% elsewhere.
_CALM_VOL = 0.115
_VOL_REGIMES = (
    ("2023-03-08", "2023-03-24", 0.20),
    ("2023-08-01", "2023-10-31", 0.15),
    ("2024-04-10", "2024-04-22", 0.16),
    ("2024-07-17", "2024-08-12", 0.22),
    ("2025-02-21", "2025-03-14", 0.24),
    ("2025-03-17", "2025-04-11", 0.42),
    ("2025-04-14", "2025-05-16", 0.24),
    ("2025-11-05", "2025-11-25", 0.17),
    ("2026-01-26", "2026-02-06", 0.16),
)
#: The S&P 500's close on these sessions; the market factor is fitted so the cap-weighted index
#: of the members passes through them, with bridged noise in between. The spring 2025 sell-off
#: takes 19% off the February peak; the last session is a broad rally of about 2%.
_SP500_PATH = (
    ("2023-01-03", 3850.0), ("2023-02-02", 4170.0), ("2023-03-13", 3860.0),
    ("2023-07-31", 4600.0), ("2023-10-27", 4130.0), ("2023-12-29", 4760.0),
    ("2024-03-28", 5240.0), ("2024-04-19", 4975.0), ("2024-07-16", 5650.0),
    ("2024-08-05", 5200.0), ("2024-12-06", 6080.0), ("2025-01-13", 5840.0),
    ("2025-02-19", 6160.0), ("2025-03-13", 5530.0), ("2025-04-08", 4990.0),
    ("2025-04-21", 5160.0), ("2025-05-13", 5860.0), ("2025-06-30", 6215.0),
    ("2025-10-28", 6905.0), ("2025-11-20", 6545.0), ("2025-12-24", 6935.0),
    ("2026-01-27", 6985.0), ("2026-02-05", 6800.0), ("2026-02-06", 6938.52),
)
#: The Dow's close on the same sessions: its daily moves are those of a price-weighted basket of
#: 30 members, steered through these points. It stays below 50,000 until the last session, when
#: it closes above it for the first time.
_DJI_PATH = (
    ("2023-01-03", 33150.0), ("2023-02-02", 34080.0), ("2023-03-13", 31850.0),
    ("2023-07-31", 35540.0), ("2023-10-27", 32450.0), ("2023-12-29", 37650.0),
    ("2024-03-28", 39780.0), ("2024-04-19", 38010.0), ("2024-07-16", 40900.0),
    ("2024-08-05", 38750.0), ("2024-12-06", 44560.0), ("2025-01-13", 42350.0),
    ("2025-02-19", 44580.0), ("2025-03-13", 40800.0), ("2025-04-08", 37700.0),
    ("2025-04-21", 38170.0), ("2025-05-13", 42140.0), ("2025-06-30", 44050.0),
    ("2025-10-28", 47650.0), ("2025-11-20", 45800.0), ("2025-12-24", 48350.0),
    ("2026-01-27", 48850.0), ("2026-02-05", 48920.0), ("2026-02-06", 50118.34),
)
#: The Russell 2000's close on the same sessions (its moves come from the factors, steered
#: through these points, then the small-cap run below is imposed).
_RUT_PATH = (
    ("2023-01-03", 1765.0), ("2023-02-02", 1990.0), ("2023-03-13", 1725.0),
    ("2023-07-31", 2000.0), ("2023-10-27", 1640.0), ("2023-12-29", 2025.0),
    ("2024-03-28", 2120.0), ("2024-04-19", 1950.0), ("2024-07-16", 2260.0),
    ("2024-08-05", 2030.0), ("2024-12-06", 2400.0), ("2025-01-13", 2200.0),
    ("2025-02-19", 2270.0), ("2025-03-13", 1990.0), ("2025-04-08", 1765.0),
    ("2025-04-21", 1850.0), ("2025-05-13", 2070.0), ("2025-06-30", 2170.0),
    ("2025-10-28", 2470.0), ("2025-11-20", 2360.0), ("2025-12-24", 2540.0),
    ("2026-01-27", 2630.0), ("2026-02-05", 2575.0), ("2026-02-06", 2662.18),
)
_PATHS = {"^GSPC": _SP500_PATH, "^DJI": _DJI_PATH, "^RUT": _RUT_PATH}
#: Daily drift of the size factor (small minus large) by period.
_SIZE_DRIFT = (
    ("2023-01-03", "2023-02-02", 0.0008),
    ("2023-03-08", "2023-03-24", -0.0040),
    ("2023-04-03", "2023-10-27", -0.0009),
    ("2023-10-30", "2023-12-29", 0.0015),
    ("2024-01-02", "2024-06-28", -0.0008),
    ("2024-07-11", "2024-07-24", 0.0040),
    ("2025-02-20", "2025-04-08", -0.0010),
    ("2025-04-09", "2025-10-31", 0.0003),
    ("2025-11-03", "2026-01-07", 0.0002),
    ("2026-01-08", "2026-02-06", 0.0008),
)
#: The small-cap run: the Russell 2000 beats the S&P 500 on this many sessions ending on the
#: last one, and lags it on the session before.
SMALL_CAP_RUN = 13

IT, FIN, EN, HC, IND, CS, CD, UT, MAT, RE, COM = SECTOR_ETFS  # the GICS sector names
#: Daily sector drifts by period. Periods marked exact have their factor noise removed, so the
#: month's leaders and laggards are the intended ones: materials lead January, energy leads
#: February (a leadership change), technology lags February.
_SECTOR_DRIFT: tuple[tuple[str, str, bool, dict[str, float]], ...] = (
    ("2023-01-03", "2024-12-31", False, {
        IT: 0.0006, COM: 0.0005, CD: 0.0002, EN: -0.0002, HC: -0.0003, UT: -0.0002,
        RE: -0.0003, CS: -0.0002, MAT: -0.0002, FIN: 0.0001, IND: 0.0001,
    }),
    ("2025-02-20", "2025-04-08", False, {
        IT: -0.0015, CD: -0.0012, COM: -0.0008, CS: 0.0008, UT: 0.0006, HC: 0.0004,
        EN: -0.0006,
    }),
    ("2025-04-09", "2025-10-31", False, {
        IT: 0.0008, COM: 0.0005, UT: 0.0003, IND: 0.0002, HC: -0.0002,
    }),
    ("2025-11-03", "2025-12-31", False, {HC: 0.0006, IT: -0.0004, FIN: 0.0002}),
    ("2026-01-02", "2026-01-30", True, {
        MAT: 0.0032, EN: 0.0020, IND: 0.0015, CS: 0.0012, FIN: -0.0012, IT: -0.0008,
        COM: -0.0006, HC: 0.0003, UT: 0.0005, RE: 0.0004, CD: -0.0004,
    }),
    ("2026-02-02", "2026-02-06", True, {
        EN: 0.0120, CS: 0.0040, MAT: 0.0020, IND: 0.0020, FIN: 0.0010, HC: 0.0020,
        UT: 0.0010, RE: 0.0010, CD: -0.0020, COM: -0.0060, IT: -0.0100,
    }),
)
#: NVDA's own daily drift by period (the watch-list bellwether has a story of its own).
_NVDA_DRIFT = (
    ("2023-01-03", "2023-12-29", 0.0035),
    ("2024-01-02", "2024-06-18", 0.0040),
    ("2024-06-19", "2024-12-31", -0.0004),
    ("2025-01-02", "2025-04-08", -0.0015),
    ("2025-04-09", "2025-10-29", 0.0022),
    ("2025-10-30", "2026-02-06", -0.0006),
)

#: Name syllables: a first syllable may open with a cluster, later ones with one consonant;
#: only the last may close with a heavy coda. Gives names like Valorex, Brimton, Quessa.
_FIRST_ONSETS = (
    "b", "br", "c", "ch", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m", "n",
    "p", "pr", "qu", "r", "s", "st", "t", "tr", "v", "w", "z",
)
_ONSETS = ("b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z")
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "a", "e")
_INNER_CODAS = ("", "", "", "", "n", "r", "l")
_FINAL_CODAS = ("", "n", "r", "l", "x", "s", "m", "nt", "rk", "th", "ra", "sa", "ne", "ta", "on")
_FORMS = (" Inc.", " Inc.", " Corp.", " Co.", " Group", "")
#: Real index members' tickers the syllables would otherwise produce: a sample ticker must never
#: be mistaken for a real company.
_REAL_TICKERS = frozenset({"CHD", "CHTR", "DLTR", "FDS", "NRG", "STZ"})
#: Invented names must not spell anything unfortunate.
_AVOID = ("ass", "cum", "dic", "dik", "dil", "fag", "fuc", "fuk", "gay", "kkk", "nig", "pis",
          "porn", "rap", "sex", "shit", "slut", "tit", "nazi", "kil", "fck", "sht", "pns")


@dataclass(frozen=True)
class _Market:
    """The generated market: bars per symbol plus the member list and valuations."""

    dates: pd.DatetimeIndex
    bars: dict[str, tuple[pd.DatetimeIndex, np.ndarray]]  # symbol -> (dates, rows x 5)
    members: pd.DataFrame
    valuations: pd.DataFrame


@dataclass(frozen=True)
class _Factors:
    """Common drivers: market noise and variance, size and sector factors (daily)."""

    market_noise: np.ndarray  # GARCH shocks of the market factor, before fitting the path
    target_var: np.ndarray  # the regime's long-run daily variance
    stress: np.ndarray  # conditional volatility relative to a calm market (1 = calm)
    size: np.ndarray  # small minus large
    sector: np.ndarray  # sessions x 11, in SECTOR_ETFS order


@dataclass(frozen=True)
class _Members:
    """Per-member parameters; columns follow the generated (sector-grouped) order."""

    sector_of: np.ndarray  # index into SECTOR_ETFS order
    beta: np.ndarray
    size_loading: np.ndarray
    idio_daily: np.ndarray
    end_cap: np.ndarray  # market cap on the last session
    end_price: np.ndarray  # close on the last session
    earnings: np.ndarray  # sessions x members: earnings days (larger moves, more volume)
    alive: np.ndarray  # sessions x members: listed and trading
    listings: dict[int, tuple[int, bool]]  # column -> (first row, zero-volume rows before)
    gap: tuple[int, int]  # (column, row) of the one missing row
    nvda: int


def _mask(dates: pd.DatetimeIndex, first: str, last: str) -> np.ndarray:
    return np.asarray((dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last)))


def _position(dates: pd.DatetimeIndex, day: str) -> int:
    pos = int(dates.searchsorted(pd.Timestamp(day)))
    if pos >= len(dates) or dates[pos] != pd.Timestamp(day):
        raise ValueError(f"sample generator: {day} is not a session")
    return pos


def _drift(dates: pd.DatetimeIndex, table: Sequence[tuple[str, str, float]]) -> np.ndarray:
    out = np.zeros(len(dates))
    for first, last, value in table:
        out[_mask(dates, first, last)] += value
    return out


def _sector_of_etf(etf: str) -> str:
    return next(s for s, e in SECTOR_ETFS.items() if e == etf)


def _pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    return options[int(rng.random() * len(options))]


def _stem(rng: np.random.Generator) -> str:
    syllables = 3 if rng.random() < 0.15 else 2
    text = ""
    for k in range(syllables):
        onset = _pick(rng, _FIRST_ONSETS if k == 0 else _ONSETS)
        vowel = _pick(rng, _VOWELS)
        if onset == "qu" and vowel[0] == "u":
            vowel = "e"
        coda = _pick(rng, _FINAL_CODAS if k == syllables - 1 else _INNER_CODAS)
        text += onset + vowel + coda
    return text.capitalize()


def _ticker(stem: str, length: int) -> str:
    """First letter, then the consonants (no doubles), padded with vowels: Quilex -> QLX."""
    letters = stem.upper()
    out = letters[0]
    for c in letters[1:]:
        if c not in "AEIOU" and c != out[-1]:
            out += c
    for c in letters[1:]:
        if len(out) >= length:
            break
        if c in "AEIOU":
            out += c
    return out[:length]


def _invent_members(rng: np.random.Generator) -> pd.DataFrame:
    """Invented but plausible tickers and names, in realistic sector proportions."""
    taken = {*INDICES, *SIZE_PROXIES, *SECTOR_ETFS.values(), *WATCHLIST, *_REAL_TICKERS}
    stems: set[str] = set()
    rows: list[tuple[str, str, str]] = []
    for sector, spec in _SECTORS.items():
        for k in range(spec.count):
            if sector == "Information Technology" and k == 0:
                rows.append(("NVDA", "NVIDIA Corp.", sector))
                continue
            while True:
                stem = _stem(rng)
                ticker = _ticker(stem, 3 if rng.random() < 0.15 else 4)
                fine = not any(bad in stem.lower() or bad in ticker.lower() for bad in _AVOID)
                if fine and len(ticker) >= 3 and ticker not in taken and stem not in stems:
                    break
            taken.add(ticker)
            stems.add(stem)
            rows.append((ticker, f"{stem} {_pick(rng, spec.suffixes)}{_pick(rng, _FORMS)}", sector))
    return pd.DataFrame(rows, columns=["Symbol", "Security", "GICS Sector"])


def _garch(
    target_var: np.ndarray,
    alpha: float,
    gamma: float,
    beta: float,
    *,
    z: np.ndarray | None = None,
    shocks: np.ndarray | None = None,
) -> np.ndarray:
    """GJR-GARCH(1,1) conditional variances, one more than the sessions.

    Driven either by unit shocks ``z`` (the process makes its own returns) or by given
    ``shocks`` (returns that happened). The long-run variance follows the regime, so volatility
    clusters and reacts more to falls than to rises.
    """
    n = len(target_var)
    unit = np.zeros(n) if z is None else z
    h = np.empty(n + 1)
    h[0] = target_var[0]
    persistence = alpha + gamma / 2 + beta
    for t in range(n):
        shock = float(shocks[t]) if shocks is not None else float(np.sqrt(h[t]) * unit[t])
        omega = target_var[t] * (1 - persistence)
        h[t + 1] = omega + (alpha + gamma * (shock < 0)) * shock * shock + beta * h[t]
    return h


def _factors(dates: pd.DatetimeIndex, rng: np.random.Generator) -> _Factors:
    n = len(dates)
    calm_var = _CALM_VOL**2 / 252
    target_var = np.full(n, calm_var)
    for first, last, vol in _VOL_REGIMES:
        target_var[_mask(dates, first, last)] = vol**2 / 252
    z = rng.standard_normal(n)
    h = _garch(target_var, 0.05, 0.10, 0.85, z=z)
    market_noise = np.sqrt(h[:-1]) * z
    stress = np.sqrt(h[:-1] / calm_var)
    scale = stress**0.6
    size = _drift(dates, _SIZE_DRIFT) + 0.0045 * scale * rng.standard_normal(n)
    sector_names = list(SECTOR_ETFS)
    noise = rng.standard_normal((n, len(sector_names)))
    noise *= np.array([_SECTORS[s].factor_sd for s in sector_names]) * scale[:, None]
    sector = np.zeros((n, len(sector_names)))
    for first, last, exact, drifts in _SECTOR_DRIFT:
        rows = _mask(dates, first, last)
        if exact:
            noise[rows] -= noise[rows].mean(axis=0)
        for name, value in drifts.items():
            sector[rows, sector_names.index(name)] += value
    return _Factors(market_noise, target_var, stress, size, sector + noise)


def _members(dates: pd.DatetimeIndex, table: pd.DataFrame, rng: np.random.Generator) -> _Members:
    n_days, n = len(dates), len(table)
    sector_names = list(SECTOR_ETFS)
    sector_of = table["GICS Sector"].map(sector_names.index).to_numpy()
    specs = [_SECTORS[s] for s in sector_names]
    log_cap = np.clip(rng.normal(np.log(3.6e10), 0.9, n), np.log(7e9), np.log(4.5e11))
    end_price = np.clip(np.exp(rng.normal(np.log(105.0), 0.75, n)), 9.0, 1400.0)
    offsets = np.cumsum([0] + [s.count for s in specs])
    for k, sector in enumerate(sector_names):
        for j, cap in enumerate(_MEGA_CAPS.get(sector, ())):
            log_cap[offsets[k] + j] = np.log(cap)
            end_price[offsets[k] + j] = float(np.exp(rng.normal(np.log(330.0), 0.45)))
    nvda = int(np.flatnonzero(table["Symbol"].to_numpy() == "NVDA")[0])
    end_price[nvda] = _LAST_CLOSE["NVDA"]
    beta = np.array([specs[k].beta for k in sector_of]) * np.exp(rng.normal(0.0, 0.18, n))
    beta[nvda] = 1.8
    size_loading = np.clip(0.35 * (np.log(4e10) - log_cap) / 0.9, -0.5, 0.7)
    idio_vol = np.array([specs[k].idio_vol for k in sector_of]) * np.exp(rng.normal(0.0, 0.25, n))
    idio_vol[log_cap > np.log(5e11)] *= 0.6  # the giants are diversified businesses
    idio_vol[nvda] = 0.38
    earnings = (np.arange(n_days)[:, None] + rng.integers(0, 63, n)) % 63 == 0

    alive = np.ones((n_days, n), dtype=bool)
    listings: dict[int, tuple[int, bool]] = {}
    for sector, k, day, zero_rows in _LISTINGS:
        col = int(offsets[sector_names.index(sector)] + k)
        first_row = _position(dates, day)
        alive[:first_row, col] = False
        listings[col] = (first_row, zero_rows)
    gap = (int(offsets[sector_names.index(_GAP[0])] + _GAP[1]), _position(dates, _GAP[2]))
    return _Members(
        sector_of=sector_of, beta=beta, size_loading=size_loading,
        idio_daily=idio_vol / np.sqrt(252), end_cap=np.exp(log_cap), end_price=end_price,
        earnings=earnings, alive=alive, listings=listings, gap=gap, nvda=nvda,
    )


def _basket(growth: np.ndarray, end_weight: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Daily returns of a basket holding ``end_weight`` of each column's value on the last day.

    With end caps it is cap-weighted, with end prices price-weighted. A member counts from the
    session after it lists (the divisor absorbs its arrival).
    """
    value = growth * (end_weight / growth[-1])
    held = alive[:-1]
    out = np.zeros(len(growth))
    out[1:] = (value[1:] * held).sum(axis=1) / (value[:-1] * held).sum(axis=1) - 1.0
    return out


def _chain(returns: np.ndarray) -> np.ndarray:
    """Levels from daily simple returns, starting at 1 (the first return is ignored)."""
    growth = 1.0 + returns
    growth[0] = 1.0
    return np.cumprod(growth, axis=0)


def _anchors(
    dates: pd.DatetimeIndex, path: Sequence[tuple[str, float]]
) -> list[tuple[tuple[int, float], tuple[int, float]]]:
    """Consecutive (row, log level) pairs of a path that spans the whole period."""
    points = [(_position(dates, day), float(np.log(level))) for day, level in path]
    if points[0][0] != 0 or points[-1][0] != len(dates) - 1:
        raise ValueError("sample generator: a path must span the whole period")
    return list(zip(points, points[1:], strict=False))


def _follow(
    dates: pd.DatetimeIndex, returns: np.ndarray, path: Sequence[tuple[str, float]]
) -> np.ndarray:
    """Daily returns with the same wiggles, shifted per segment to pass through ``path``."""
    inc = np.log1p(returns)
    inc[0] = 0.0
    for (a, la), (b, lb) in _anchors(dates, path):
        inc[a + 1 : b + 1] += ((lb - la) - inc[a + 1 : b + 1].sum()) / (b - a)
    return np.expm1(inc)


def _small_cap_run(rut: np.ndarray, gspc: np.ndarray, lift: np.ndarray) -> np.ndarray:
    """Make the Russell 2000 beat the S&P 500 on the last SMALL_CAP_RUN sessions, not before.

    Days that already comply are left alone; the others move just past the S&P 500's return
    (by at least 0.08 points plus ``lift``).
    """
    out = rut.copy()
    n = len(out)
    for j, t in enumerate(range(n - SMALL_CAP_RUN - 1, n)):
        spread = out[t] - gspc[t]
        if j == 0 and spread > -0.0008:  # the session before the run: large caps win
            out[t] -= spread + 0.0008 + lift[j]
        elif j > 0 and spread < 0.0008:
            out[t] += 0.0008 - spread + lift[j]
    return out


def _fit_market(
    dates: pd.DatetimeIndex, noise: np.ndarray, rest: np.ndarray, mem: _Members
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Market factor, member returns and S&P 500 returns, the index following ``_SP500_PATH``.

    The market factor starts as its noise bridged between the path's points; a few rounds then
    correct each segment's drift by what the cap-weighted index of the members missed.
    """
    segments = _anchors(dates, _SP500_PATH)
    inc = noise.copy()
    inc[0] = 0.0
    index = np.zeros(len(dates))
    for _ in range(6):
        got = np.log1p(index)
        for (a, la), (b, lb) in segments:
            inc[a + 1 : b + 1] += ((lb - la) - got[a + 1 : b + 1].sum()) / (b - a) / 1.1
        market = np.expm1(inc)
        returns = np.maximum(rest + market[:, None] * mem.beta, -0.6)
        returns[0] = 0.0
        index = _basket(_chain(returns), mem.end_cap, mem.alive)
    return market, returns, index


def _ohlc(
    close: np.ndarray, sigma: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Open, high, low, close around each close path (columns), rounded to cents, consistent.

    The open gaps part of the way towards the day's move; high and low extend beyond the open
    and close by a half-normal amount scaled to the day's volatility.
    """
    prev = np.vstack([close[:1], close[:-1]])
    gap = 0.3 * (close / prev - 1.0) + 0.3 * sigma * rng.standard_normal(close.shape)
    open_ = prev * (1.0 + gap)
    high = np.maximum(open_, close) * (1.0 + 0.6 * sigma * np.abs(rng.standard_normal(close.shape)))
    low = np.minimum(open_, close) * (1.0 - 0.6 * sigma * np.abs(rng.standard_normal(close.shape)))
    o, h, lo, c = (np.round(x, 2) for x in (open_, high, low, close))
    h = np.maximum(np.maximum(h, o), c)
    lo = np.maximum(np.minimum(np.minimum(lo, o), c), 0.01)
    return o, h, lo, c


def _soft_range(raw: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Map non-negative raw volumes into (lo, hi) smoothly: nearly lo + raw when small."""
    return lo + (hi - lo) * np.tanh(raw / (hi - lo))


@lru_cache(maxsize=1)
def _generate() -> _Market:
    """Build the whole market once per process (vectorised; a small fraction of a second)."""
    dates = sessions(FIRST_SESSION, LAST_SESSION)
    n_days = len(dates)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(SEED).spawn(6)]
    names_rng, market_rng, member_rng, series_rng, bar_rng, volume_rng = streams

    table = _invent_members(names_rng)
    fac = _factors(dates, market_rng)
    mem = _members(dates, table, member_rng)
    scale = fac.stress**0.6
    sector_names = list(SECTOR_ETFS)

    # Members: everything but the market factor, then fit the market to the S&P 500 path.
    noise = member_rng.standard_normal((n_days, len(table)))
    noise[mem.earnings] *= 3.5
    noise *= mem.idio_daily * scale[:, None]
    rest = (
        fac.size[:, None] * mem.size_loading
        + fac.sector[:, mem.sector_of]
        + member_rng.normal(0.0, 0.00025, len(table))
        + noise
    )
    rest[:, mem.nvda] += _drift(dates, _NVDA_DRIFT)
    market, returns, gspc = _fit_market(dates, fac.market_noise, rest, mem)
    growth = _chain(returns)
    price = growth / growth[-1] * mem.end_price

    # Indices and ETFs: baskets of the members, or sharing their factors.
    ret: dict[str, np.ndarray] = {"^GSPC": gspc}
    for k, sector in enumerate(sector_names):
        cols = mem.sector_of == k
        ret[SECTOR_ETFS[sector]] = _basket(growth[:, cols], mem.end_cap[cols], mem.alive[:, cols])
    top50 = np.argsort(-mem.end_cap, kind="stable")[:50]
    ret["XLG"] = _basket(growth[:, top50], mem.end_cap[top50], mem.alive[:, top50])
    held = mem.alive[:-1]
    ret["RSP"] = np.concatenate([[0.0], (returns[1:] * held).sum(axis=1) / held.sum(axis=1)])
    rut = (
        1.15 * market
        + fac.size
        + fac.sector @ np.array([_SECTORS[s].rut_weight for s in sector_names])
        + 0.0035 * scale * series_rng.standard_normal(n_days)
    )
    lift = series_rng.uniform(0.0005, 0.0015, SMALL_CAP_RUN + 1)
    for _ in range(6):  # steer through the path, impose the run; settles in a few rounds
        rut = _small_cap_run(_follow(dates, rut, _RUT_PATH), gspc, lift)
    ret["^RUT"] = rut
    tech_sectors = ("Information Technology", "Communication Services", "Consumer Discretionary")
    tech = np.isin(mem.sector_of, [sector_names.index(s) for s in tech_sectors])
    tech_ret = _basket(growth[:, tech], mem.end_cap[tech], mem.alive[:, tech])
    ret["^IXIC"] = 0.8 * tech_ret + 0.2 * rut + 0.0012 * series_rng.standard_normal(n_days)
    dow: list[int] = []
    for sector, quota in _DOW_QUOTA.items():
        cols = np.flatnonzero((mem.sector_of == sector_names.index(sector)) & mem.alive[0])
        dow.extend(int(c) for c in cols[np.argsort(-mem.end_cap[cols], kind="stable")][:quota])
    ret["^DJI"] = _follow(dates, _basket(growth[:, dow], mem.end_price[dow], mem.alive[:, dow]),
                          _DJI_PATH)

    level: dict[str, np.ndarray] = {}
    for sym, r in ret.items():
        path = _chain(r)
        if sym in _PATHS:
            last = _PATHS[sym][-1][1]
        elif sym in _LAST_CLOSE:
            last = _LAST_CLOSE[sym]
        else:
            last = _SECTORS[_sector_of_etf(sym)].etf_close
        level[sym] = path / path[-1] * last
    level["SPY"] = level["^GSPC"] / 10 * (1 + 0.00005 * series_rng.standard_normal(n_days))
    level["IWM"] = level["^RUT"] / 10 * 0.998 * (1 + 0.0003 * series_rng.standard_normal(n_days))
    level["^VIX"] = _vix(gspc, fac.target_var, series_rng)

    bars = _series_bars(dates, level, scale, fac.stress, bar_rng, volume_rng)
    bars.update(_member_bars(dates, table, mem, price, returns, fac, bar_rng, volume_rng))
    valuations = pd.DataFrame({
        "Date": [dates[-1]] * len(_TRAILING_EPS),
        "Symbol": list(_TRAILING_EPS),
        "TrailingPE": [round(bars[s][1][-1, 3] / eps, 2) for s, eps in _TRAILING_EPS.items()],
    })
    members = table.sort_values("Symbol", kind="stable").reset_index(drop=True)
    return _Market(dates=dates, bars=bars, members=members, valuations=valuations)


def _vix(index: np.ndarray, target_var: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Implied volatility: a leverage-sensitive variance of the index's moves, plus a premium.

    Only falls feed the variance, and each day's move nudges a slowly decaying fear premium
    the other way, so it spikes in sell-offs and moves against the market; random noise keeps it
    from being a pure function of returns.
    """
    v = _garch(target_var, 0.0, 0.10, 0.89, shocks=index)
    wobble = np.zeros(len(index))
    shocks = 0.035 * rng.standard_normal(len(index)) - 2.0 * index
    for t in range(1, len(index)):
        wobble[t] = 0.92 * wobble[t - 1] + shocks[t]
    raw = 100 * np.sqrt(252 * v[1:]) * 1.25 * np.exp(wobble)
    return np.maximum(14.5 * (raw / 14.5) ** 0.7, 9.5)  # damped: spikes of 40-45, not 60


def _member_bars(
    dates: pd.DatetimeIndex,
    table: pd.DataFrame,
    mem: _Members,
    price: np.ndarray,
    returns: np.ndarray,
    fac: _Factors,
    bar_rng: np.random.Generator,
    volume_rng: np.random.Generator,
) -> dict[str, tuple[pd.DatetimeIndex, np.ndarray]]:
    """OHLCV per member, with the listing and missing-row quirks applied."""
    n_days, n = price.shape
    calm_sd = _CALM_VOL / np.sqrt(252)
    sigma = np.sqrt((mem.beta * calm_sd * fac.stress[:, None]) ** 2
                    + (mem.idio_daily * fac.stress[:, None] ** 0.6) ** 2)
    o, h, lo, c = _ohlc(price, sigma, bar_rng)
    log_cap = np.log(mem.end_cap)
    base = np.exp(np.log(5e6) + 0.35 * (log_cap - np.log(4e10)) + volume_rng.normal(0.0, 0.45, n))
    base = np.clip(base, 1.3e6, 2.4e7)
    base[mem.nvda] = 1.8e7
    activity = (0.7 + 0.45 * np.abs(returns) / sigma) * np.exp(
        volume_rng.normal(0.0, 0.25, (n_days, n))
    )
    activity[mem.earnings] *= 2.5
    volume = np.round(_soft_range(base * fac.stress[:, None] ** 0.8 * activity, 1e6, 5e7))

    out: dict[str, tuple[pd.DatetimeIndex, np.ndarray]] = {}
    for col, sym in enumerate(table["Symbol"]):
        block = np.column_stack([o[:, col], h[:, col], lo[:, col], c[:, col], volume[:, col]])
        idx = dates
        if col in mem.listings:
            first_row, zero_rows = mem.listings[col]
            if zero_rows:  # flat rows at the first open, volume 0: it had not traded yet
                block[:first_row, :4] = block[first_row, 0]
                block[:first_row, 4] = 0.0
            else:
                block, idx = block[first_row:], dates[first_row:]
        if col == mem.gap[0]:
            keep = np.arange(len(idx)) != mem.gap[1]
            block, idx = block[keep], idx[keep]
        out[str(sym)] = (idx, block)
    return out


def _series_bars(
    dates: pd.DatetimeIndex,
    level: dict[str, np.ndarray],
    scale: np.ndarray,
    stress: np.ndarray,
    bar_rng: np.random.Generator,
    volume_rng: np.random.Generator,
) -> dict[str, tuple[pd.DatetimeIndex, np.ndarray]]:
    """OHLCV for the indices and ETFs, in the universe's order."""
    symbols = [*INDICES, *SIZE_PROXIES, *SECTOR_ETFS.values()]
    closes = np.column_stack([level[s] for s in symbols])
    rets = np.vstack([np.zeros(len(symbols)), closes[1:] / closes[:-1] - 1])
    sigma = rets.std(axis=0) * scale[:, None] / scale.mean()
    o, h, lo, c = _ohlc(closes, sigma, bar_rng)
    typical = np.array(
        [_VOLUME[s] if s in _VOLUME else _SECTORS[_sector_of_etf(s)].etf_volume for s in symbols]
    )
    traded = typical * stress[:, None] ** 0.8 * (0.75 + 0.5 * np.abs(rets) / sigma)
    volume = np.round(traded * np.exp(volume_rng.normal(0.0, 0.2, traded.shape)))
    return {
        s: (dates, np.column_stack([o[:, j], h[:, j], lo[:, j], c[:, j], volume[:, j]]))
        for j, s in enumerate(symbols)
    }


class SampleSource:
    """The sample market behind the Source protocol: fixed data, generated on first use."""

    info = SourceInfo(
        name="sample", description="Sample market (generated, not real data)", is_sample=True
    )

    def __init__(self) -> None:
        self._market: _Market | None = None

    @property
    def _data(self) -> _Market:
        if self._market is None:
            self._market = _generate()
        return self._market

    def constituents(self) -> pd.DataFrame:
        """The invented index members (and NVDA): ``Symbol, Security, GICS Sector``."""
        return self._data.members.copy()

    def version(self, symbol: str) -> str | None:
        """Constant per generator version, so a store never refetches unchanged sample data."""
        return VERSION if symbol in self._data.bars else None

    def symbols(self) -> list[str]:
        """Every symbol the sample provides: indices, ETFs, then members."""
        return list(self._data.bars)

    def fetch(
        self, symbols: Sequence[str], start: dt.date | None, end: dt.date | None
    ) -> dict[str, pd.DataFrame]:
        """Bars for each symbol, ``start``..``end`` inclusive; SourceError names what is missing."""
        if isinstance(symbols, str):
            symbols = [symbols]
        bars = self._data.bars
        wanted = list(dict.fromkeys(symbols))
        unknown = [s for s in wanted if s not in bars]
        if unknown:
            raise SourceError(f"sample source: unknown symbol(s) {', '.join(unknown)}")
        lo = pd.Timestamp(start) if start is not None else None
        hi = pd.Timestamp(end) if end is not None else None
        out: dict[str, pd.DataFrame] = {}
        empty: list[str] = []
        for sym in wanted:
            idx, block = bars[sym]
            a = 0 if lo is None else int(idx.searchsorted(lo, side="left"))
            b = len(idx) if hi is None else int(idx.searchsorted(hi, side="right"))
            if a >= b:
                empty.append(sym)
                continue
            frame = pd.DataFrame(block[a:b].copy(), index=idx[a:b].copy(), columns=PRICE_COLUMNS)
            frame.index.name = "Date"
            out[sym] = frame
        if empty:
            first, last = self._data.dates[0].date(), self._data.dates[-1].date()
            raise SourceError(
                f"sample source: no data for {', '.join(empty)} from {start or first} to "
                f"{end or last} (the sample covers {first} to {last})"
            )
        return out

    def valuations(self, symbols: Sequence[str]) -> pd.DataFrame | None:
        """Trailing P/E on the last session for the symbols that have one (SPY, IWM)."""
        if isinstance(symbols, str):
            symbols = [symbols]
        table = self._data.valuations
        return table[table["Symbol"].isin(list(symbols))].reset_index(drop=True)
