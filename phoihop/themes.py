"""The agreed theme ids (fixed by the programmes; see the shared spec's themes.md)."""

THEME_IDS: tuple[str, ...] = (
    "nghi_quyet_dai_hoi",
    "xay_dung_dang",
    "hoc_tap_bac_ho",
    "bao_ve_nen_tang_tu_tuong",
    "phong_chong_tham_nhung",
    "phat_trien_kinh_te",
    "quy_hoach_do_thi_ha_tang",
    "chuyen_doi_so",
    "cai_cach_hanh_chinh",
    "van_hoa_xa_hoi",
    "phong_chong_dich",
    "quoc_phong_an_ninh",
    "doi_ngoai",
    "guong_dien_hinh",
    "bau_cu",
    "bao_chi_truyen_thong",
)
