"""For data migrations: take personal values out of audit rows written before models named their personal fields."""

from __future__ import annotations

from typing import Any


def forget_personal_values(
    apps: Any, app_label: str, model_name: str, fields: tuple[str, ...], label: str | None
) -> None:
    """Drop `fields` from the before/after copies of `app_label.model_name`'s audit rows; relabel them.

    `label` is the new object label with `{pk}` for the object id (a label may have held a name); None
    keeps the labels (they held no personal value).
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    ObjectChange = apps.get_model("audit", "ObjectChange")
    AccessLog = apps.get_model("audit", "AccessLog")
    content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
    if content_type is None:
        return
    names = set(fields) | {f"{name}_id" for name in fields}
    rows = ObjectChange.objects.filter(content_type=content_type)
    for pk, object_id, before, after in rows.values_list("pk", "object_id", "before", "after").iterator():
        changes: dict[str, Any] = {"before": _without(before, names), "after": _without(after, names)}
        if label is not None:
            changes["object_repr"] = label.format(pk=object_id)[:200]
        ObjectChange.objects.filter(pk=pk).update(**changes)
    if label is None:
        return
    for pk, object_id in AccessLog.objects.filter(content_type=content_type).values_list("pk", "object_id").iterator():
        AccessLog.objects.filter(pk=pk).update(object_repr=label.format(pk=object_id)[:200])


def _without(copy: Any, names: set[str]) -> Any:
    if not isinstance(copy, dict):
        return copy
    return {key: value for key, value in copy.items() if key not in names}
