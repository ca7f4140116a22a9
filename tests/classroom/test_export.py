"""The tidy export reads back with pandas in one line, as CSV and Parquet, with its values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.classroom.export import COLUMNS, to_csv, write_export
from sim.classroom.store import ClassroomError, ClassroomStore
from sim.cli import app


def _session(url: str, password: str | None = None):
    store = ClassroomStore(url, instructor_password=password)
    created = store.create_session("threat", seed=4, rounds=2, password=password,
                                   matching="strangers")
    names = ["Ana", "=Ben", "Chen", "Dara"]
    tickets = {n: store.join(created.code, n) for n in names}
    # the threat game in turn: Ana demands and fights if resisted, Chen keeps the status
    # quo, the United States (Ben, Dara) resists
    plans = {"Ana": ["Demand", "Fight"], "Chen": ["Status quo"]}
    for r in (1, 2):
        store.start_round(created.instructor_token, r)
        for _ in range(3):
            for n, t in tickets.items():
                me = store.player_state(t.player_token)
                if me.turn is not None and me.turn.my_move:
                    action = plans[n].pop(0) if n in plans else "Resist"
                    store.submit(t.player_token, action, r, step=me.turn.step)
        plans = {"Ana": ["Demand", "Fight"], "Chen": ["Status quo"]}
        store.close_round(created.instructor_token, r)
    return store, created, tickets


def test_export_reads_back_in_one_line(tmp_path) -> None:
    store, created, tickets = _session(f"sqlite:///{tmp_path / 'c.db'}")
    rows = store.export_rows(created.instructor_token)
    write_export(rows, tmp_path / "class.parquet")
    write_export(rows, tmp_path / "class.csv")
    pq = pd.read_parquet(tmp_path / "class.parquet")
    csv = pd.read_csv(tmp_path / "class.csv")
    assert list(pq.columns) == list(csv.columns) == [c for c, _ in COLUMNS]
    assert len(pq) == len(csv) == 8
    assert pq["timed_out"].dtype == bool and csv["timed_out"].dtype == bool
    assert not pq["timed_out"].any() and not pq["is_bot"].any()
    # one row per move: Ana demanded, then fought when resisted
    ana = pq[(pq.student == "Ana") & (pq["round"] == 1)]
    own = store.player_state(tickets["Ana"].player_token).history[0]
    assert list(ana.action) == ["Demand", "Fight"] and set(ana.outcome) == {"War"}
    assert set(ana.role) == {"Russia"} and set(ana.type) == {own.type}
    assert list(ana.information_set) == [f"Russia, {own.type}, first move",
                                         f"Russia, {own.type}, after resistance"]
    assert ana.payoff.iloc[0] == pytest.approx(own.payoff)
    assert (ana.time_taken >= 0).all()
    # a group shares its number: Ana's group made three moves, Chen's one (the United States
    # never had to move); the Parquet keeps the typed name, the CSV defuses it
    assert sorted(pq.groupby(["round", "group"]).size()) == [1, 1, 3, 3]
    assert "=Ben" in set(pq.student) and "'=Ben" in set(csv.student)
    assert csv["type"].isna().sum() == 2  # the United States has no private type
    chen = csv[(csv.student == "Chen") & (csv["round"] == 2)].iloc[0]
    assert chen.outcome == "Status quo" and chen.information_set.startswith("Russia, ")
    assert pq["payoff"].sum() == pytest.approx(csv["payoff"].sum())
    store.dispose()


def test_only_the_instructor_exports(tmp_path) -> None:
    store, created, tickets = _session(f"sqlite:///{tmp_path / 'c.db'}", password="s3cret")
    with pytest.raises(ClassroomError, match="instructor link is not valid"):
        store.export_rows(tickets["Ana"].player_token)
    with pytest.raises(ClassroomError, match="password is not right"):
        store.export_rows(code=created.code, password="wrong")
    assert len(store.export_rows(code=created.code, password="s3cret")) == 8
    other = ClassroomStore(f"sqlite:///{tmp_path / 'c.db'}")  # a server without a password
    with pytest.raises(ClassroomError, match="password is not right"):
        other.export_rows(code=created.code, password="")
    store.dispose()
    other.dispose()


def test_cli_bots_and_export(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    monkeypatch.setenv("COERCION_CLASSROOM_DB", url)
    monkeypatch.delenv("COERCION_INSTRUCTOR_PASSWORD", raising=False)
    store = ClassroomStore()
    created = store.create_session("chicken", seed=2, rounds=1)
    runner = CliRunner()
    res = runner.invoke(app, ["classroom", "bots", "--session", created.code, "--n", "4",
                              "--policy", "always:Firm", "--once"])
    assert res.exit_code == 0, res.output
    assert store.instructor_state(created.instructor_token).submitted == 4
    store.close_round(created.instructor_token, 1)
    out = tmp_path / "x.parquet"
    res = runner.invoke(app, ["classroom", "export", "--session", created.code, "--out",
                              str(out), "--token", created.instructor_token])
    assert res.exit_code == 0, res.output
    df = pd.read_parquet(out)
    assert list(df.action) == ["Firm"] * 4 and set(df.outcome) == {"War"}
    # a student's token, a wrong suffix, a bad policy: one line, exit 2, nothing joined
    student = store.join(created.code, "Eve").player_token
    for args in (["export", "--session", created.code, "--out", str(tmp_path / "y.csv"),
                  "--token", student],
                 ["export", "--session", created.code, "--out", str(tmp_path / "y.txt"),
                  "--token", created.instructor_token],
                 ["bots", "--session", created.code, "--n", "2", "--policy", "always:Hide"]):
        res = runner.invoke(app, ["classroom", *args])
        assert res.exit_code == 2 and res.output.startswith("error: "), res.output
        assert "Traceback" not in res.output
    assert not (tmp_path / "y.csv").exists()
    assert store.instructor_state(created.instructor_token).joined == 5
    store.dispose()


def test_csv_of_no_rows_has_the_header() -> None:
    assert to_csv([]).strip() == ",".join(c for c, _ in COLUMNS)
    with pytest.raises(ValueError, match="must end in"):
        write_export([], Path("x.json"))
