"""Load, copy, publish criteria set versions; turn a version into a scoring library."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from thidua import scoring
from thidua.criteria.models import CriteriaLevel, CriteriaSet, CriteriaSetVersion, Criterion

CRITERION_FIELDS = (
    "content",
    "points_confirmed",
    "kind",
    "params",
    "rule_text",
    "evidence_basis",
    "evidence_required",
    "data_source",
    "source_note",
)


class LibraryAlreadyLoaded(Exception):
    def __init__(self, version: CriteriaSetVersion):
        self.version = version
        super().__init__(f"{version.criteria_set.code} {version.version} already exists")


def read_library_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise scoring.LibraryError([f"Không đọc được tệp {path}: {exc}"]) from exc
    return data


@transaction.atomic
def load_library(data: dict) -> CriteriaSetVersion:
    """Validate a whole library (raises scoring.LibraryError); store it as a published version."""
    library = scoring.parse_library(data)
    meta = data["set"]
    criteria_set, _ = CriteriaSet.objects.get_or_create(
        code=meta["code"], defaults={"name": meta["name"]}
    )
    existing = criteria_set.versions.filter(version=str(meta["version"])).first()
    if existing:
        raise LibraryAlreadyLoaded(existing)
    version = CriteriaSetVersion.objects.create(
        criteria_set=criteria_set,
        version=str(meta["version"]),
        year=int(meta["year"]),
        decision=meta["decision"],
        decision_date=meta["decision_date"],
        issuer=meta["issuer"],
        province=meta["province"],
        na_policy=library.meta.na_policy,
        display_decimals=library.meta.display_decimals,
    )
    for level_order, level_data in enumerate(data["levels"]):
        level = CriteriaLevel.objects.create(
            version=version,
            code=level_data["code"],
            name=level_data["name"],
            scale=str(level_data.get("scale", 100)),
            order=level_order,
        )
        Criterion.objects.bulk_create(
            Criterion(
                level=level,
                code=item["code"],
                order=order,
                points=str(item["points"]),
                **{
                    name: item.get(name, _default(name))
                    for name in CRITERION_FIELDS
                    if name in item or _default(name) is not None
                },
            )
            for order, item in enumerate(level_data["criteria"])
        )
    version.status = CriteriaSetVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


def _default(name):
    return {"points_confirmed": True, "evidence_required": True, "params": {}}.get(name, "")


def version_to_dict(version: CriteriaSetVersion) -> dict:
    """The version in the YAML library format (docs/library-format.md)."""
    levels = []
    for level in version.levels.prefetch_related("criteria").order_by("order"):
        criteria = []
        for criterion in level.criteria.order_by("order"):
            item = {"code": criterion.code, "points": _plain(criterion.points)}
            for name in CRITERION_FIELDS:
                value = getattr(criterion, name)
                if value not in ("", None):
                    item[name] = value
            criteria.append(item)
        levels.append(
            {
                "code": level.code,
                "name": level.name,
                "scale": _plain(level.scale),
                "criteria": criteria,
            }
        )
    return {
        "format": "thidua-criteria/1",
        "set": {
            "code": version.criteria_set.code,
            "name": version.criteria_set.name,
            "decision": version.decision,
            "decision_date": version.decision_date.isoformat(),
            "issuer": version.issuer,
            "province": version.province,
            "year": version.year,
            "version": version.version,
            "na_policy": version.na_policy,
            "display_decimals": version.display_decimals,
        },
        "levels": levels,
    }


def _plain(value) -> str:
    """A Decimal without exponent or trailing zeros: 8.00 → "8", 2.50 → "2.5"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def scoring_library(version: CriteriaSetVersion) -> scoring.Library:
    """The validated scoring library of a version; published versions are cached (immutable)."""
    if version.status == CriteriaSetVersion.Status.PUBLISHED:
        return _published_library(version.pk)
    return scoring.parse_library(version_to_dict(version))


@lru_cache(maxsize=64)
def _published_library(version_pk: int) -> scoring.Library:
    version = CriteriaSetVersion.objects.select_related("criteria_set").get(pk=version_pk)
    return scoring.parse_library(version_to_dict(version))


@transaction.atomic
def copy_version(version: CriteriaSetVersion, new_version: str, year: int) -> CriteriaSetVersion:
    """Start a new draft version as a copy of an existing one (criteria are revised yearly)."""
    copy = CriteriaSetVersion.objects.create(
        criteria_set=version.criteria_set,
        version=new_version,
        year=year,
        decision=version.decision,
        decision_date=version.decision_date,
        issuer=version.issuer,
        province=version.province,
        na_policy=version.na_policy,
        display_decimals=version.display_decimals,
        copied_from=version,
    )
    for level in version.levels.order_by("order"):
        level_copy = CriteriaLevel.objects.create(
            version=copy, code=level.code, name=level.name, scale=level.scale, order=level.order
        )
        Criterion.objects.bulk_create(
            Criterion(
                level=level_copy,
                code=c.code,
                order=c.order,
                points=c.points,
                **{name: getattr(c, name) for name in CRITERION_FIELDS},
            )
            for c in level.criteria.order_by("order")
        )
    return copy


@transaction.atomic
def publish_version(version: CriteriaSetVersion) -> CriteriaSetVersion:
    """Publish a draft only if it validates as a whole library (raises scoring.LibraryError)."""
    version = CriteriaSetVersion.objects.select_for_update().get(pk=version.pk)
    version.check_editable()
    scoring.parse_library(version_to_dict(version))
    version.status = CriteriaSetVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version
