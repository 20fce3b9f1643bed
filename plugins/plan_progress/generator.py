"""The generator behind plugins/plan_progress."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pelican.generators import Generator

from newsdesk.content import progress, site_items
from newsdesk.content.vocabulary import Plan
from newsdesk.site.context import context_of

from .charts import Chart, chart


@dataclass(frozen=True)
class PlanPage:
    """One plan's page, as templates see it."""

    plan: Plan
    progress: progress.Progress
    url: str
    save_as: str
    csv_url: str
    charts: dict[str, Chart]

    @property
    def csv_name(self) -> str:
        return self.csv_url.rsplit("/", 1)[-1]


class PlanProgressGenerator(Generator):
    """Writes a progress page and its CSV per plan (PLAN_PROGRESS_SAVE_AS,
    PLAN_PROGRESS_CSV_SAVE_AS)."""

    def generate_context(self):
        context = context_of(self.settings)
        entries = [progress.entry_from_article(article) for article in site_items.items(
            self.context, site_items.WITH_A_PAGE)]
        pages = [self._page(plan, progress.count(plan, entries, context.vocabulary,
                                                 context.today))
                 for plan in context.vocabulary.plans]
        self.context["plan_progress_pages"] = sorted(pages, key=lambda p: p.plan.issued,
                                                     reverse=True)

    def _page(self, plan: Plan, figures: progress.Progress) -> PlanPage:
        settings = self.settings
        return PlanPage(plan=plan, progress=figures, url=plan.url,
                        save_as=settings["PLAN_PROGRESS_SAVE_AS"].format(slug=plan.slug),
                        csv_url=settings["PLAN_PROGRESS_CSV_SAVE_AS"].format(slug=plan.slug),
                        charts=_charts(plan, figures))

    def generate_output(self, writer):
        for page in self.context["plan_progress_pages"]:
            writer.write_file(
                page.save_as, self.get_template("plan_progress"), self.context,
                relative_urls=self.settings["RELATIVE_URLS"], url=page.url,
                template_name="plan_progress", plan_page=page)
            csv_path = Path(self.output_path) / page.csv_url
            csv_path.parent.mkdir(parents=True, exist_ok=True)
            csv_path.write_bytes(progress.to_csv(page.progress))


def _charts(plan: Plan, figures: progress.Progress) -> dict[str, Chart]:
    """One chart per section of the table; by type only the lines the plan sets a target for."""
    targeted = [row for row in figures.section(progress.BY_TYPE) if row.target is not None]
    return {
        progress.BY_TYPE: chart(
            "loai", f"Kết quả so với chỉ tiêu Kế hoạch {plan.number}",
            "Biểu đồ thanh: mỗi thanh là một chỉ tiêu, phần tô đậm là phần đã thực hiện; "
            "số đã thực hiện/chỉ tiêu ghi cạnh thanh và trong bảng bên dưới.", targeted),
        progress.BY_AUDIENCE: chart(
            "doi-tuong", "Cẩm nang theo đối tượng đọc",
            "Biểu đồ thanh: số cẩm nang đã đăng cho mỗi đối tượng so với chỉ tiêu; "
            "số liệu cũng có trong bảng bên dưới.", figures.section(progress.BY_AUDIENCE)),
        progress.BY_COMMUNE: chart(
            "dia-ban", "Số bài theo địa bàn",
            "Biểu đồ thanh: số bài đã đăng nói về từng xã, thị trấn (một bài nói về nhiều xã "
            "được tính ở mỗi xã); số liệu cũng có trong bảng bên dưới.",
            figures.section(progress.BY_COMMUNE)),
        progress.BY_QUARTER: chart(
            "quy", "Số bài theo quý",
            "Biểu đồ thanh: số bài đã đăng trong từng quý của kế hoạch (hội nghị tính theo "
            "ngày bắt đầu); số liệu cũng có trong bảng bên dưới.",
            figures.section(progress.BY_QUARTER)),
    }
