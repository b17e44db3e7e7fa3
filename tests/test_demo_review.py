"""The demo's sample authored content (issue 18, item 7): the RCM and CMC reviews get texts in
three languages, featured items, two stakeholder inputs and indicators, through the same
service functions staff use, and the review says on the page that it is sample content."""

from __future__ import annotations

from pathlib import Path

import pytest

from gcmtrack.common.assets import data_dir, load_yaml
from gcmtrack.report.batch import render_reports
from gcmtrack.service import authoring
from gcmtrack.service.demo import add_sample_reviews
from gcmtrack.service.ingest import expand_paths, ingest_files
from gcmtrack.store import Store

FOLDER = data_dir("submissions") / "review"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("demo-review") / "demo.db"
    with Store(str(location)) as store:
        store.set_meta("sample_data", "1")
        ingest_files(store, [p for p in expand_paths([data_dir("submissions")]) if "2026" in p.name])
        lines = add_sample_reviews(store, FOLDER)
    assert [line.split(" ", 1)[0] for line in lines] == ["CMC", "RCM"]
    return location


@pytest.mark.parametrize("process", ["RCM", "CMC"])
def test_every_sample_part_is_stored(demo_store: Path, process: str) -> None:
    sample = load_yaml(FOLDER / f"{process.lower()}-2026.yaml")
    with Store(str(demo_store)) as store:
        for lang in ("en", "es", "fr"):
            review = authoring.review(store, process, 2026, lang)
            assert review.sample
            written = {(t.section, t.round_table) for t in review.texts if t.lang == lang}
            expected = {(section, None if section not in authoring.PER_ROUND_TABLE else int(table))
                        for section, body in sample["texts"].items()
                        for table in (body if section in authoring.PER_ROUND_TABLE else [None])}
            assert written == expected, lang
            key = review.text("key-messages")
            assert key.markdown.strip() == sample["texts"]["key-messages"][lang].strip()
        assert len(review.featured) == len(sample["features"])
        assert not any(f.stale for f in review.featured)
        assert [i.organisation for i in review.inputs] == [i["organisation"] for i in sample["inputs"]]
        csv_rows = (FOLDER / sample["indicators"]).read_text(encoding="utf-8").strip().splitlines()[1:]
        assert len(review.indicators) == len(csv_rows)


def test_a_missing_sample_item_is_an_error_not_a_silent_gap(tmp_path: Path) -> None:
    (tmp_path / "rcm-2026.yaml").write_text("process: RCM\ncycle: 2026\nfeatures:\n  - {state: USA, objective: 5}\n",
                                            encoding="utf-8")
    with Store(str(tmp_path / "s.db")) as store:
        with pytest.raises(ValueError, match="rcm-2026.yaml: feature"):
            add_sample_reviews(store, tmp_path)


@pytest.mark.slow
def test_the_review_shows_the_sample_texts_marked_as_sample(demo_store: Path, tmp_path: Path) -> None:
    sample = load_yaml(FOLDER / "cmc-2026.yaml")
    with Store(str(demo_store)) as store:
        [result] = render_reports(store, ["CMC"], 2026, ["es"], tmp_path, editions=("review",))
    html = result.html.read_text(encoding="utf-8")
    assert "Texto de muestra" in html
    assert sample["inputs"][0]["organisation"] in html
    assert "Contenido de ejemplo redactado para la demostración" in html
