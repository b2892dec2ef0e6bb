"""The three administrative levels of 2023 Vietnam and their unit kinds.

They are data, editable in the admin (after the 2025 reform a province has two levels);
these are only the defaults, seeded by a migration and re-ensured by the demo loader.
`import_code` is what the units CSV (data/soc-trang-units-2023.csv) writes.
"""

DEFAULT_LEVELS = [
    # code, name, import_code, order, parent level code
    ("tinh", "Cấp tỉnh", "province_unit", 1, None),
    ("huyen", "Cấp huyện", "district", 2, None),
    ("xa", "Cấp xã", "commune", 3, "huyen"),
]
DEFAULT_KINDS = {
    "tinh": [
        ("so", "Sở"),
        ("co_quan_ngang_so", "Cơ quan chuyên môn (ngang sở)"),
        ("ban", "Ban"),
        ("don_vi_su_nghiep", "Đơn vị sự nghiệp trực thuộc UBND tỉnh"),
        ("co_quan_trung_uong", "Cơ quan Trung ương đặt tại tỉnh"),
    ],
    "huyen": [("huyen", "Huyện"), ("thi_xa", "Thị xã"), ("thanh_pho", "Thành phố")],
    "xa": [("xa", "Xã"), ("phuong", "Phường"), ("thi_tran", "Thị trấn")],
}


def ensure_default_levels(level_model, kind_model) -> None:
    """Create the default levels and kinds where missing; never changes existing ones.

    Takes the model classes so that a migration can pass its historical models.
    """
    created = {}
    for code, name, import_code, order, parent_code in DEFAULT_LEVELS:
        level, _ = level_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "import_code": import_code,
                "order": order,
                "parent_level": created.get(parent_code),
            },
        )
        created[code] = level
        for kind_code, kind_name in DEFAULT_KINDS[code]:
            kind_model.objects.get_or_create(
                level=level, code=kind_code, defaults={"name": kind_name}
            )
