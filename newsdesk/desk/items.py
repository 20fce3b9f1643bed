"""The list of items and the item page: a form made from data/vocabulary.toml, a photo, the
body with its preview, and the check's problems beside the field or body line they concern.

"Lưu nháp" saves (a git commit in the account's name), "Gửi duyệt" saves then sends for
review when the check finds no error, "Xem trước" renders without saving (the page's script
does the same as one types). A commune editor reaches only items of their communes, and only
while they are drafts or returned; every refusal is recorded in the audit log.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   send_file, send_from_directory, url_for)

from newsdesk.content import paths
from newsdesk.content.item_reader import IMAGE_SUFFIXES
from newsdesk.content.items import split_header
from newsdesk.content.problems import ERROR
from newsdesk.desk import db, preview, store, workflow
from newsdesk.desk.store import DRAFT, RETURNED, SENT, STATES, Item, Refused
from newsdesk.editors import newitem

bp = Blueprint("items", __name__)
FILLED_BY_PLAN = ("title", "date", "category", "type", "id")


@bp.app_errorhandler(Refused)
def refused(error: Refused):
    return render_template("desk/error.html", message=str(error)), error.status


def places():
    """The communes this account may write for."""
    vocab = store.vocab()
    if g.account.is_district:
        return vocab.places
    return [place for place in vocab.places if place.slug in g.account.communes]


def authorize(item: Item) -> None:
    if not g.account.may_use(item.folder_commune):
        db.audit("từ chối: bài của xã khác", item.id)
        raise Refused("Bài này thuộc xã khác: tài khoản của bạn không được xem hay sửa.", 403)


def form_fields(type_key: str) -> list:
    vocab = store.vocab()
    _, allowed = vocab.type_fields(type_key)
    return [vocab.fields[key] for key in dict.fromkeys(allowed)
            if key not in store.NOT_IN_FORM and key in vocab.fields]


@bp.route("/")
def index():
    vocab = store.vocab()
    wanted = {"xa": request.args.get("xa", ""), "loai": request.args.get("loai", ""),
              "trang-thai": request.args.get("trang-thai", "")}
    known = workflow.states()
    rows = []
    for item in store.all_items():
        if not g.account.may_use(item.folder_commune):
            continue
        state = known.get(item.id) or (DRAFT if item.is_draft else store.PUBLISHED)
        place = vocab.find_place(item.values.get("category", "")) or vocab.commune_by_slug(
            item.folder_commune)
        ctype = vocab.types.get(item.values.get("type", "") or vocab.default_type)
        if ((wanted["xa"] and (not place or place.slug != wanted["xa"]))
                or (wanted["loai"] and (not ctype or ctype.key != wanted["loai"]))
                or (wanted["trang-thai"] and state != wanted["trang-thai"])):
            continue
        rows.append({"id": item.id, "title": item.values.get("title", item.id),
                     "place": place.name if place else "", "type": ctype.name if ctype else "",
                     "state": state, "date": item.values.get("date", ""),
                     "mtime": item.path.stat().st_mtime})
    rows.sort(key=lambda row: row["mtime"], reverse=True)
    return render_template("desk/list.html", rows=rows, wanted=wanted, places=places(),
                           types=vocab.types.values(), states=STATES)


@bp.route("/bai/moi", methods=["GET", "POST"])
def new():
    vocab = store.vocab()
    if request.method == "GET":
        values = {"type": vocab.default_type, "category": places()[0].name if places() else ""}
        return render_form(None, values, "")
    return handle_form(None)


@bp.route("/bai/<path:item_id>", methods=["GET", "POST"])
def edit(item_id: str):
    item = store.read(item_id)
    authorize(item)
    if request.method == "GET":
        return render_form(item, item.values, item.body, store.problems(item.path))
    return handle_form(item)


@bp.route("/anh/<path:item_id>")
def photo(item_id: str):
    """The item's photo, for the form and the preview (the same rights as the item)."""
    item = store.read(item_id)
    authorize(item)
    name = item.values.get("image", "")
    path = item.path.parent / name
    if not name or path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file() or (
            paths.inside_content(path, store.content()) is None):
        abort(404)
    return send_file(path, max_age=0)


@bp.route("/giao-dien/css/trang.css")
def site_stylesheet():
    """The site's stylesheet, for the preview's page."""
    return current_app.response_class(preview.stylesheet(store.site_settings()),
                                      mimetype="text/css")


@bp.route("/giao-dien/fonts/<name>")
def site_font(name: str):
    """The site's fonts, where its stylesheet looks for them ("../fonts/")."""
    return send_from_directory(Path(store.site_settings()["THEME"]) / "static" / "fonts", name,
                               max_age=0)


def editable(item: Item) -> None:
    state = workflow.state_of(item)
    if not g.account.is_district and state not in (DRAFT, RETURNED):
        db.audit("từ chối: sửa bài không còn là nháp", item.id)
        raise Refused(f"Bài đang ở trạng thái \"{STATES[state]}\": chỉ cán bộ huyện sửa được. "
                      "Muốn sửa, nhờ cán bộ huyện trả lại bài.", 403)


def handle_form(item: Item | None):
    form, vocab = request.form, store.vocab()
    action = form.get("action", "save")
    type_key = form.get("type", "")
    place = vocab.commune_by_slug(form.get("category", ""))
    if type_key not in vocab.types:
        raise Refused("Chọn một loại bài trong danh sách.")
    if place is None or not g.account.may_use(place.slug):
        db.audit("từ chối: xã không thuộc tài khoản", item.id if item else "",
                 form.get("category", ""))
        raise Refused("Tài khoản của bạn không viết được bài cho xã này.", 403)
    title = " ".join(form.get("title", "").split())
    values = dict(item.values) if item else {}
    if item:
        editable(item)
    else:
        try:
            planned = newitem.plan(title, type_key, place.name, store.content(), vocab)
        except newitem.NewItemError as error:
            return render_form(None, _typed(form), form.get("body", ""),
                               error=str(error), status=400)
        if planned.path.exists():
            return render_form(None, _typed(form), form.get("body", ""), status=409, error=(
                f"Đã có bài cùng tên tệp ({store.item_id_of(planned.path)}). Đặt tiêu đề khác, "
                "hoặc mở bài đó trong Danh sách bài để sửa."))
        values = {key: value for key, value in split_header(planned.text).values.items()
                  if key in FILLED_BY_PLAN}
        item = Item(store.item_id_of(planned.path), planned.path)
    values.update(title=title, type=type_key, category=place.name)
    for vocab_field in form_fields(type_key):
        values[vocab_field.key] = form.get(f"f-{vocab_field.key}", "")
    values["alt"] = form.get("alt", "")
    if not (g.account.is_district and item.revision and not item.is_draft):
        values["status"] = "draft"  # until a district editor approves it
    body = form.get("body", "")
    base = form.get("base", "") if item.revision else ""
    if action == "preview":
        html = preview.frame(preview.page(
            item.path.parent, store.compose(values, body), store.site_settings(), vocab,
            url_for("items.photo", item_id=item.id) if item.revision else "",
            url_for("items.site_stylesheet")))
        if request.headers.get("X-Xem-Truoc"):  # the page's script: the preview alone
            return html
        return render_form(item if item.revision else None, {**values, **_typed(form)}, body,
                           preview_html=html, base=base)
    upload = request.files.get("photo")
    with store.WRITE_LOCK:
        try:
            extra = ()
            photo_sent = bool(upload and upload.filename)
            if (photo_sent or values.get("image")) and not values["alt"].strip():
                raise Refused("Ảnh cần một câu mô tả (ô \"Mô tả ảnh\") cho người không "
                              "nhìn thấy ảnh. Ghi mô tả rồi lưu lại"
                              + (" (chọn lại ảnh)." if photo_sent else "."))
            if photo_sent:
                store.check_base(item, base)
                saved = store.save_photo(upload, item.path.parent)
                values["image"] = saved.relative_to(item.path.parent).as_posix()
                extra = (saved,)
            verb = "Gửi duyệt" if action == "send" else "Lưu nháp"
            store.write(item, store.compose(values, body), base, f"{verb}: {title}",
                        g.account.author, extra)
        except Refused as error:
            db.audit("không lưu được", item.id, str(error)[:200])
            return render_form(item if item.revision else None, {**values, **_typed(form)},
                               body, error=str(error), status=error.status, base=base)
    if not item.revision:
        workflow.set_state(item.id, DRAFT)
    db.audit("lưu bài", item.id)
    if action == "send":
        errors = [p for p in store.problems(item.path) if p.severity == ERROR]
        if errors:
            flash(f"Đã lưu nháp nhưng chưa gửi duyệt: bài còn {len(errors)} lỗi, ghi bên cạnh "
                  "từng ô. Sửa rồi bấm \"Gửi duyệt\" lại.", "error")
        else:
            workflow.set_state(item.id, SENT)
            db.audit("gửi duyệt", item.id)
            flash("Đã gửi duyệt. Cán bộ huyện sẽ xem bài.")
    else:
        flash("Đã lưu nháp.")
    return redirect(url_for("items.edit", item_id=item.id))


def _typed(form) -> dict:
    """What the person typed, shown again when nothing could be saved."""
    typed = {key[2:]: value for key, value in form.items() if key.startswith("f-")}
    typed.update({key: form.get(key, "") for key in ("title", "type", "alt")})
    place = store.vocab().commune_by_slug(form.get("category", ""))
    if place:
        typed["category"] = place.name
    return typed


def render_form(item: Item | None, values: dict, body: str, problems=(), error: str = "",
                preview_html: str | None = None, status: int = 200, base: str | None = None):
    vocab = store.vocab()
    type_key = values.get("type") if values.get("type") in vocab.types else vocab.default_type
    place = vocab.find_place(values.get("category", ""))
    by_field, general = defaultdict(list), []
    if item and problems:
        header = split_header(item.path.read_text(encoding="utf-8", errors="replace"))
        line_keys = {line: key for key, line in header.lines.items()}
        for problem in problems:
            key = line_keys.get(problem.line)
            if key in ("image", "alt"):
                key = "photo"
            if key:
                by_field[key].append(problem)
            elif problem.line > header.body_line:  # body_line: the blank line before it
                by_field["body"].append((problem, problem.line - header.body_line))
            else:
                general.append(problem)
    state = workflow.state_of(item) if item else DRAFT
    return render_template(
        "desk/item.html", item=item, values=values, body=body, type_key=type_key,
        place_slug=place.slug if place else "", places=places(), types=vocab.types.values(),
        fields=form_fields(type_key), by_field=by_field, general=general, error=error,
        preview_html=preview_html, state=state, states=STATES,
        base=item.revision if item and base is None else (base or ""),
        comments=workflow.comments(item.id) if item else [],
        can_edit=bool(g.account.is_district or state in (DRAFT, RETURNED)),
    ), status
