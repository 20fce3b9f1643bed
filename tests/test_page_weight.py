"""Page-weight budgets of issue 7, on every template of the sample site (bytes are
deterministic; timings stay in bench/). Method and figures: devtools/page_weight.py and
bench/page_weight.py."""

from devtools import page_weight


def test_page_weight_budgets_hold_on_every_template(sample_site, chromium):
    weights = page_weight.measure_all(chromium, {
        key: sample_site.url_of(path) for key, path in sample_site.representatives().items()})
    items = [w for w in weights if w.is_item]
    assert len(items) >= 3
    # The measurement saw the page, its stylesheet and its fonts (else the budget is hollow).
    assert all(w.sizes["html"] and w.sizes["css"] and w.sizes["fonts"] for w in weights)
    problems = [f"{w.key}: {problem}" for w in weights for problem in w.problems()]
    assert not problems, page_weight.table(weights) + "\n" + "\n".join(problems)


def test_the_budget_rules_catch_what_they_are_for(sample_site, chromium, tmp_path):
    """A blocking script, an eager image far down and text written by JavaScript all fail;
    one eager main picture (fetchpriority="high") is allowed."""
    item = next(path for key, path in sample_site.representatives().items()
                if key.startswith("item/"))
    page = item.read_text(encoding="utf-8")
    bad = page.replace("</head>", '<script src="bad.js"></script></head>').replace(
        "</main>", "<p>Dòng đệm.</p>" * 100 + '<img src="far.svg" alt="x" width="20" height="20">'
                   '<img src="main.svg" alt="y" width="20" height="20" fetchpriority="high">'
                   '<p id="js-only"></p></main>')
    folder = item.parent / "gate-self-test"
    folder.mkdir()
    (folder / "index.html").write_text(bad, encoding="utf-8")
    (folder / "bad.js").write_text(
        "document.addEventListener('DOMContentLoaded', () => {"
        " document.getElementById('js-only').textContent = 'Chỉ hiện khi có JS'; });",
        encoding="utf-8")
    for name in ("far.svg", "main.svg"):
        (folder / name).write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">'
                                   '<rect width="8" height="8"/></svg>', encoding="utf-8")
    try:
        weight = page_weight.measure(chromium, "item/self-test",
                                     sample_site.url_of(folder / "index.html"))
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    assert weight.blocking_scripts == [sample_site.url_of(folder / "bad.js")]
    assert weight.missing_without_js == ["Chỉ hiện khi có JS"]
    assert weight.eager_below_fold == [sample_site.url_of(folder / "far.svg")]
    assert weight.sizes["js"] > 0
