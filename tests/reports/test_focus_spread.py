"""A focus brief's state table says how much each figure varies from run to run (`reports.focus_spread`), from the
folder's saved per-replication by_state rows. Before it, the table gave Oregon's searches (35% between replications
over 40) a mean and CI as it gave Texas's (11%), and never said which figures a few agencies' draws carry."""

from __future__ import annotations

import html as htmllib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from reports import write_report
from sim.results.places import BUSIEST, PLACE_METRICS, added_note
from sim.results.spread import NOISY, WORLD


def rewritten(folder: Path, to: Path, keep: Callable[[pd.DataFrame], pd.DataFrame] = lambda df: df,
              **values: list[float]) -> Path:
    """A copy of `folder` whose by_state (Parquet and CSV) keeps the rows `keep` keeps and gives NC's metric the
    per-replication `values` (metric names with '.' written '__')."""
    shutil.copytree(folder, to)
    for path in (to / "by_state.parquet", to / "by_state.csv"):
        df = keep(pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path))
        for name, per_rep in values.items():
            metric = name.replace("__", ".")
            for rep, v in enumerate(per_rep):
                df.loc[(df.state == "NC") & (df.metric == metric) & (df.replication == rep), "value"] = v
        if path.suffix == ".parquet":
            pq.write_table(pa.Table.from_pandas(df, schema=pq.read_schema(path), preserve_index=False), path)
        else:
            df.to_csv(path, index=False)
    return to


def table_rows(html: str) -> dict[str, list[str]]:
    """The state table's rows: measure -> its other cells (tags dropped, entities read)."""
    start = html.index("beside the nation")
    body = html[start:html.index("</table>", start)]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        cells = [htmllib.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


def test_a_row_varying_a_lot_is_flagged_and_a_steady_one_is_not(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    folder = rewritten(focus_pair[0], tmp_path / "base", requests__posted=[10.0, 30.0], footage__clips=[100.0, 101.0])
    html = write_report(folder, tmp_path / "r.html", focus="NC").read_text()
    assert "<th>Run to run</th>" in html
    rows = table_rows(html)
    requests, clips = rows[PLACE_METRICS["requests.posted"].label], rows[PLACE_METRICS["footage.clips"].label]
    assert requests[-1] == "varies a lot: 71% (11 to 29)"  # sd 14.1 over mean 20; p5 and p95 of the two
    assert clips[-1] == "1% (100 to 101)" and NOISY not in clips[-1]
    assert "<strong>varies a lot</strong>" in html
    # entries from proxy lookups rest on a few agents' draws: flagged by construction, whatever 2 replications show
    assert rows[PLACE_METRICS["audit.records_received_proxy"].label][-1].startswith(NOISY) or \
        rows[PLACE_METRICS["audit.records_received_proxy"].label][-1] == "0 in every run"
    assert rows["ALPR cameras"][-1] == f"{WORLD}: the same in every run"
    note = htmllib.unescape(html[html.index("Run to run: how much the figure changed"):].split("</p>", 1)[0])
    assert "2 replications give only a rough spread" in note
    assert "Varies a lot from run to run" in note and "docs/running.md, 'Which state figures are stable" in note
    assert "Set by the world" in note
    # the brief's note is in plain words; the statistics' terms and the config key stay in the terminal's lines
    assert not any(w in note for w in ("standard deviation", "p5 to p95", "per seed", "world_per_replication"))
    busiest = pd.read_parquet(folder / "by_state.parquet").query("state == 'NC' and metric == @BUSIEST").value
    assert f"Its busiest agency runs {busiest.mean():.0%} of North Carolina's searches" in note


def test_an_older_folder_without_the_busiest_share_or_a_spread_still_renders(focus_pair: tuple[Path, Path],
                                                                            tmp_path: Path) -> None:
    """A folder written before by_state held the busiest agency's share, with one replication (no spread)."""
    folder = rewritten(focus_pair[0], tmp_path / "old",
                       keep=lambda df: df[(df.metric != BUSIEST) & (df.replication == 0)])
    (folder / "flows_by_state.parquet").unlink()  # its plate reads returned: both replications
    html = write_report(folder, tmp_path / "r.html", focus="NC").read_text()
    rows = table_rows(html)
    assert rows[PLACE_METRICS["footage.clips"].label][-1] == "n/a (1 replication)"
    assert rows[PLACE_METRICS["audit.records_received_proxy"].label][-1] in (NOISY, "0 in every run")
    note = htmllib.unescape(html[html.index("Run to run: how much the figure changed"):].split("</p>", 1)[0])
    assert f"Share of North Carolina's searches its busiest agency ran: {added_note(['base'])}." in note
    assert "rough spread" not in note
