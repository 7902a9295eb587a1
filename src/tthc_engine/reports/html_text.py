"""The words and the style sheet of the HTML report (:mod:`tthc_engine.reports.html`)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["CSS", "TEXT"]

TEXT: Mapping[str, Mapping[str, str]] = {
    "vi": {
        "title": "Báo cáo tình hình, kết quả giải quyết thủ tục hành chính",
        "period": "Kỳ báo cáo: từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}",
        "headline": "Số liệu chính",
        "received": "Tiếp nhận trong kỳ",
        "carried_over": "Kỳ trước chuyển qua",
        "resolved": "Đã giải quyết",
        "early": "Trước hạn",
        "on_time": "Đúng hạn",
        "late": "Quá hạn",
        "pending": "Đang giải quyết, chưa đến hạn",
        "overdue": "Đang giải quyết, quá hạn",
        "withdrawn": "Rút hồ sơ",
        "stopped": "Dừng xử lý",
        "refused": "Từ chối tiếp nhận",
        "against_targets": "So với chỉ tiêu",
        "targets_note": "Vạch đứt: mức đủ điểm của QĐ 766/QĐ-TTg hoặc mục tiêu năm 2030 của "
        "Nghị quyết 76/NQ-CP; xanh lá: đạt, cam: chưa đạt.",
        "target": "mục tiêu",
        "on_time_rate": "Tỷ lệ giải quyết đúng hạn",
        "rate_766": "Chỉ số 2.1 QĐ 766 (đúng hạn, kể cả hồ sơ đang giải quyết)",
        "rate_766_short": "Chỉ số 2.1",
        "online_rate": "Hồ sơ trực tuyến (chỉ số 3.3)",
        "online_payment_rate": "Thanh toán trực tuyến (chỉ số 3.6)",
        "digitisation_rate": "Số hóa hồ sơ (chỉ số 4.2)",
        "satisfaction_overall": "Hài lòng, chung (NQ 76)",
        "satisfaction_land_construction_investment": "Hài lòng: đất đai, xây dựng, đầu tư",
        "by_agency": "Trước hạn, đúng hạn, quá hạn theo đơn vị tiếp nhận",
        "agency": "Cơ quan",
        "none": "Không có số liệu trong kỳ.",
        "trend": "Diễn biến theo tháng",
        "trend_counts": "Hồ sơ tiếp nhận, đã giải quyết và quá hạn theo tháng",
        "trend_rates": "Tỷ lệ đúng hạn và chỉ số 2.1 theo tháng",
        "month": "Tháng",
        "lateness": "Phiếu kiểm soát: các bước theo cơ quan và cơ quan gây chậm",
        "lateness_note": "Mỗi bước trên phiếu kiểm soát quá trình giải quyết hồ sơ được so với "
        "thời gian được giao cho bước đó; cơ quan gây chậm là cơ quan của đoạn đầu tiên vượt "
        "thời gian được giao của hồ sơ giải quyết quá hạn.",
        "step_early": "Bước trước hạn",
        "step_on_time": "Bước đúng hạn",
        "step_late": "Bước quá hạn",
        "caused": "Hồ sơ quá hạn do cơ quan gây chậm",
        "apology": "Văn bản xin lỗi đối với hồ sơ quá hạn",
        "apology_note": "Hồ sơ quá hạn phải có văn bản xin lỗi và hẹn lại ngày trả kết quả "
        "trước thời hạn (Nghị định 61/2018/NĐ-CP, Điều 19 khoản 3).",
        "with_apology": "Quá hạn, có văn bản xin lỗi",
        "without_apology": "Quá hạn, chưa có văn bản xin lỗi",
        "no_late": "Không có hồ sơ quá hạn trong kỳ.",
        "apology_rate": "Tỷ lệ có văn bản xin lỗi",
        "satisfaction": "Mức độ hài lòng",
        "satisfaction_note": "Chỉ số 5.4 QĐ 766 tính từ hồ sơ quá hạn và hồ sơ bị phản ánh, "
        "không hài lòng; tỷ lệ đánh giá hài lòng tính từ các đánh giá của người dân.",
        "satisfaction_rate": "Mức độ hài lòng (chỉ số 5.4 QĐ 766)",
        "rating_satisfaction_rate": "Đánh giá hài lòng, rất hài lòng",
        "rating_rate": "Đánh giá hài lòng",
        "special_fields": "Đất đai, xây dựng, đầu tư: từng lĩnh vực",
        "field": "Lĩnh vực",
        "shares": "Trực tuyến, thanh toán trực tuyến, số hóa",
        "channels": "Hồ sơ tiếp nhận theo kênh",
        "channel_counter": "Trực tiếp",
        "channel_online": "Trực tuyến",
        "channel_postal": "Bưu chính",
        "scorecard": "Điểm theo QĐ 766/QĐ-TTg",
        "scorecard_note": "Đủ điểm từ mức ngưỡng, dưới ngưỡng tính theo tỷ lệ; điểm tối đa của "
        "chỉ số 3.3, 3.6 và 4.2 lấy theo nhóm chỉ số của Bộ chỉ số (xem docs/indicators.md).",
        "indicator": "Chỉ số",
        "basis": "Căn cứ",
        "rate": "Tỷ lệ",
        "points": "Điểm",
        "max": "Tối đa",
        "total": "Tổng",
        "indicator_progress": "Tiến độ giải quyết (2.1)",
        "indicator_online": "Dịch vụ công trực tuyến (3.3)",
        "indicator_payment": "Thanh toán trực tuyến (3.6)",
        "indicator_digitisation": "Số hóa hồ sơ (4.2)",
        "indicator_satisfaction": "Mức độ hài lòng (5.4)",
        "groups": "Theo lĩnh vực, cấp và thủ tục",
        "by_field": "Theo lĩnh vực",
        "by_level": "Theo cấp thực hiện",
        "level": "Cấp",
        "level_province": "Cấp tỉnh",
        "level_district": "Cấp huyện",
        "level_commune": "Cấp xã",
        "level_unknown": "Chưa rõ",
        "by_procedure": "Theo thủ tục",
        "procedure": "Thủ tục",
        "source": "Lập bằng tthc-engine {version}. Công thức và căn cứ pháp lý của từng số "
        "liệu: docs/indicators.md.",
    },
    "en": {
        "title": "Administrative-procedure dossiers: handling report",
        "period": "Period: {first:%d/%m/%Y} to {last:%d/%m/%Y}",
        "headline": "Headline figures",
        "received": "Received",
        "carried_over": "Carried over",
        "resolved": "Resolved",
        "early": "Early",
        "on_time": "On time",
        "late": "Late",
        "pending": "In progress, not yet due",
        "overdue": "In progress, overdue",
        "withdrawn": "Withdrawn",
        "stopped": "Stopped",
        "refused": "Refused at receipt",
        "against_targets": "Against the targets",
        "targets_note": "Dashed tick: the full-points threshold of QĐ 766/QĐ-TTg or the 2030 "
        "target of Resolution 76/NQ-CP; green: met, orange: not met.",
        "target": "target",
        "on_time_rate": "On-time rate",
        "rate_766": "QĐ 766 indicator 2.1 (in time, open dossiers too)",
        "rate_766_short": "Indicator 2.1",
        "online_rate": "Online dossiers (indicator 3.3)",
        "online_payment_rate": "Online payments (indicator 3.6)",
        "digitisation_rate": "Digitised dossiers (indicator 4.2)",
        "satisfaction_overall": "Satisfaction, overall (NQ 76)",
        "satisfaction_land_construction_investment": "Satisfaction: land, construction, investment",
        "by_agency": "Early, on time and late by receiving agency",
        "agency": "Agency",
        "none": "No figures in the period.",
        "trend": "Monthly trend",
        "trend_counts": "Dossiers received, resolved and late by month",
        "trend_rates": "On-time rate and indicator 2.1 by month",
        "month": "Month",
        "lateness": "Control slip: steps by agency, and the agencies that caused lateness",
        "lateness_note": "Each step of the process-control slip is judged against the working "
        "time allotted to it; the agency that caused a late dossier is the one of the first "
        "segment that overran its allowance.",
        "step_early": "Steps early",
        "step_on_time": "Steps on time",
        "step_late": "Steps late",
        "caused": "Late dossiers it caused",
        "apology": "Apologies for late dossiers",
        "apology_note": "A late dossier must get a written apology with a new appointment "
        "before its due (Decree 61/2018/NĐ-CP, Article 19(3)).",
        "with_apology": "Late, apologised",
        "without_apology": "Late, no apology",
        "no_late": "No late dossier in the period.",
        "apology_rate": "Apology rate",
        "satisfaction": "Satisfaction",
        "satisfaction_note": "QĐ 766 indicator 5.4 is derived from lateness and complaints or "
        "'dissatisfied' ratings; the rating share counts the applicants' ratings.",
        "satisfaction_rate": "Satisfaction (QĐ 766 indicator 5.4)",
        "rating_satisfaction_rate": "Satisfied or very satisfied ratings",
        "rating_rate": "Satisfied ratings",
        "special_fields": "Land, construction, investment: each field",
        "field": "Field",
        "shares": "Online, online payment, digitisation",
        "channels": "Dossiers received by channel",
        "channel_counter": "Counter",
        "channel_online": "Online",
        "channel_postal": "Postal",
        "scorecard": "QĐ 766/QĐ-TTg points",
        "scorecard_note": "Full points from the threshold, proportional below it; the maxima "
        "of indicators 3.3, 3.6 and 4.2 are their groups' (see docs/indicators.md).",
        "indicator": "Indicator",
        "basis": "Basis",
        "rate": "Rate",
        "points": "Points",
        "max": "Max",
        "total": "Total",
        "indicator_progress": "Progress (2.1)",
        "indicator_online": "Online services (3.3)",
        "indicator_payment": "Online payment (3.6)",
        "indicator_digitisation": "Digitisation (4.2)",
        "indicator_satisfaction": "Satisfaction (5.4)",
        "groups": "By field, level and procedure",
        "by_field": "By field",
        "by_level": "By level",
        "level": "Level",
        "level_province": "Province",
        "level_district": "District",
        "level_commune": "Commune",
        "level_unknown": "Unknown",
        "by_procedure": "By procedure",
        "procedure": "Procedure",
        "source": "Made with tthc-engine {version}. The formula and legal basis of every "
        "figure: docs/indicators.md.",
    },
}

CSS = """
:root{--ink:#1b1b1b;--muted:#5f6368;--rule:#dadce0;--head:#f1f3f4}
*{box-sizing:border-box}
body{font-family:"Noto Sans","Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:var(--ink);
margin:0 auto;padding:1.5rem 2rem;max-width:62rem;line-height:1.4}
h1{font-size:1.5rem;margin:0}h2{font-size:1.2rem;margin:2.2rem 0 .6rem;padding-bottom:.25rem;
border-bottom:2px solid var(--rule)}h3{font-size:1rem;margin:1.2rem 0 .4rem}
.period{color:var(--muted);margin:.25rem 0 .75rem}
nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem}nav a{color:#1a73e8}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr));gap:.6rem}
.card{border:1px solid var(--rule);border-left:4px solid #546e7a;border-radius:4px;
padding:.5rem .7rem}.card .v{font-size:1.55rem;font-weight:700}.card .l{font-size:.85rem;
color:var(--muted)}.card.early{border-left-color:#2e7d32}.card.on_time{border-left-color:#1565c0}
.card.late,.card.overdue{border-left-color:#c62828}
figure{margin:.6rem 0}figcaption,.legend,.none,small{font-size:.82rem;color:var(--muted)}
svg{max-width:100%;height:auto;display:block}
.legend span{display:inline-block;margin:.2rem 1.2rem .2rem 0}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.35rem;vertical-align:-.1rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.86rem;width:100%}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid var(--rule);padding:.28rem .45rem;text-align:right;
font-variant-numeric:tabular-nums}
th[scope=row],thead th:first-child,td.w{text-align:left;font-weight:normal}
th[scope=row]{min-width:5.5rem}
thead th{background:var(--head);font-weight:600;vertical-align:bottom}
tbody tr:nth-child(even){background:#fafafa}
footer{margin-top:2.5rem;padding-top:.6rem;border-top:1px solid var(--rule);font-size:.8rem;
color:var(--muted)}
@page{size:A4;margin:14mm}
@media print{body{padding:0;max-width:none;font-size:10pt}nav{display:none}
h2{break-after:avoid}figure,table,.cards{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""
