//! PDF reports in English or Urdu, made in memory with krilla: a summary (tables of counts and a
//! bar chart drawn as vector paths), a case dossier for a lawyer, and the cause list.
//!
//! Layout is ours and simple: an A4 page, a cursor going down, headings, paragraphs and tables
//! whose rows break across pages (the header repeated). An Urdu report mirrors it: columns run
//! from the right, text starts at the right, bars grow to the left. Every value is made inert
//! and cut first ([`super::text::inert`]), so stored text can neither reorder the page nor run it
//! to thousands of pages. The fonts are embedded as subsets with their ToUnicode maps, so the
//! text can be searched, copied and extracted. No date or id of the machine goes into the file's
//! metadata: the same vault gives the same bytes.

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};

use super::counts::{Count, CountBy, CountTable};
use super::text::{self, Fonts, Line};
use crate::error::{Error, Result};
use crate::vocab::Lang;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 48.0;
const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;
const CELL_PAD: f32 = 3.0;
/// The most lines a table cell shows before it says it is cut.
const CELL_LINES: usize = 12;
/// The most bars a chart draws (the largest ones).
const CHART_BARS: usize = 15;

/// One thing drawn on a page.
enum Op {
    Text { x: f32, baseline: f32, size: f32, line: Line },
    Rect { x: f32, y: f32, w: f32, h: f32, gray: u8, outline: bool },
    Rule { x1: f32, y1: f32, x2: f32, y2: f32, width: f32 },
}

/// A report being laid out: pages of drawing operations and a cursor.
pub(crate) struct Layout {
    fonts: &'static Fonts,
    lang: Lang,
    title: String,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl std::fmt::Debug for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layout").field("pages", &self.pages.len()).finish_non_exhaustive()
    }
}

fn has_arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{FB50}'..='\u{FEFF}').contains(&c))
}

/// The height of a line of text at `size`: Naskh's marks reach further above and below than
/// Latin letters do.
fn line_height(size: f32, text: &str) -> f32 {
    if has_arabic(text) { size * 1.9 } else { size * 1.45 }
}

/// One column of a table: its share of the width.
pub(crate) struct Column {
    pub(crate) header: String,
    pub(crate) share: f32,
}

impl Layout {
    /// A new report titled `title` (drawn on every page's foot).
    pub(crate) fn new(lang: Lang, title: &str) -> Result<Self> {
        let fonts = Fonts::get().ok_or(Error::Bug("the report's fonts cannot be read"))?;
        let mut layout = Self { fonts, lang, title: text::inert(title), pages: Vec::new(), y: 0.0 };
        layout.new_page();
        Ok(layout)
    }

    fn rtl(&self) -> bool {
        self.lang == Lang::Ur
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` more fits on this one.
    fn ensure(&mut self, height: f32) {
        if self.y + height > PAGE_H - MARGIN - 20.0 {
            self.new_page();
        }
    }

    /// Draws one line of `text` in the box from `left` of `width`, its top at `top`, aligned to
    /// the start (the right in Urdu); returns the line's height.
    fn put(&mut self, text: &str, left: f32, width: f32, top: f32, size: f32, bold: bool) -> f32 {
        let line = text::line(self.fonts, text, size, bold, self.rtl());
        let lh = line_height(size, text);
        let x = if self.rtl() { left + width - line.width } else { left };
        let baseline = top + (lh - size) / 2.0 + size * 0.85;
        self.ops().push(Op::Text { x, baseline, size, line });
        lh
    }

    /// A block of text across the page, wrapped, made inert first (see [`text::inert`]).
    pub(crate) fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        self.our_paragraph(&text::inert(text), size, bold);
    }

    /// A block of text made of the report's own words and values it checked (days), which may
    /// hold the isolates of [`ltr`].
    pub(crate) fn our_paragraph(&mut self, text: &str, size: f32, bold: bool) {
        let text = text.replace(['\n', '\r'], " ");
        let width = PAGE_W - 2.0 * MARGIN;
        for l in text::wrap(self.fonts, &text, size, bold, self.rtl(), width, 40) {
            let lh = line_height(size, &l);
            self.ensure(lh);
            let top = self.y;
            self.y += self.put(&l, MARGIN, width, top, size, bold);
        }
    }

    /// The report's title.
    pub(crate) fn title(&mut self, text: &str) {
        self.paragraph(text, 17.0, true);
        self.y += 4.0;
    }

    /// A section's heading, kept with what follows: a table's header and first rows, or the
    /// first bars of a chart.
    pub(crate) fn heading(&mut self, text: &str) {
        self.ensure(120.0);
        self.y += 8.0;
        self.paragraph(text, 12.5, true);
        let y = self.y + 1.0;
        self.ops().push(Op::Rule { x1: MARGIN, y1: y, x2: PAGE_W - MARGIN, y2: y, width: 0.6 });
        self.y += 5.0;
    }

    /// Space between blocks.
    pub(crate) fn gap(&mut self, points: f32) {
        self.y += points;
    }

    /// The left edges and widths of the columns, from the right in Urdu.
    fn columns(&self, columns: &[Column]) -> Vec<(f32, f32)> {
        let total: f32 = columns.iter().map(|c| c.share).sum();
        let width = PAGE_W - 2.0 * MARGIN;
        let mut x = 0.0;
        columns
            .iter()
            .map(|c| {
                let w = width * c.share / total;
                let left = if self.rtl() { PAGE_W - MARGIN - x - w } else { MARGIN + x };
                x += w;
                (left, w)
            })
            .collect()
    }

    fn row(&mut self, cells: &[String], boxes: &[(f32, f32)], size: f32, bold: bool, shade: Option<u8>) {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(boxes)
            .map(|(c, (_, w))| {
                text::wrap(self.fonts, &text::inert(c), size, bold, self.rtl(), w - 2.0 * CELL_PAD, CELL_LINES)
            })
            .collect();
        let height = wrapped
            .iter()
            .map(|lines| lines.iter().map(|l| line_height(size, l)).sum::<f32>())
            .fold(line_height(size, ""), f32::max)
            + 2.0 * CELL_PAD;
        self.ensure(height);
        let top = self.y;
        if let Some(gray) = shade {
            self.ops().push(Op::Rect { x: MARGIN, y: top, w: PAGE_W - 2.0 * MARGIN, h: height, gray, outline: false });
        }
        for (lines, (left, w)) in wrapped.iter().zip(boxes) {
            let mut y = top + CELL_PAD;
            for l in lines {
                y += self.put(l, left + CELL_PAD, w - 2.0 * CELL_PAD, y, size, bold);
            }
        }
        self.y = top + height;
        let y = self.y;
        self.ops().push(Op::Rule { x1: MARGIN, y1: y, x2: PAGE_W - MARGIN, y2: y, width: 0.3 });
    }

    /// A table: a header row (repeated on each new page) and the rows.
    pub(crate) fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let boxes = self.columns(columns);
        let headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
        self.ensure(60.0);
        self.row(&headers, &boxes, SMALL, true, Some(225));
        for r in rows {
            let page = self.pages.len();
            self.ensure(line_height(BODY, "ی") * 2.0);
            if self.pages.len() != page {
                self.row(&headers, &boxes, SMALL, true, Some(225));
            }
            self.row(r, &boxes, BODY, false, None);
        }
        self.y += 6.0;
    }

    /// A table of two columns from label and text pairs, for a record's fields.
    pub(crate) fn fields(&mut self, pairs: &[(String, String)]) {
        let boxes =
            self.columns(&[Column { header: String::new(), share: 1.0 }, Column { header: String::new(), share: 2.6 }]);
        for (label, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
            self.row(&[label.clone(), value.clone()], &boxes, BODY, false, None);
        }
        self.y += 6.0;
    }

    /// A horizontal bar chart of counts: a label, a bar in proportion, and the number written at
    /// its end, so it reads without colour. Suppressed counts get no bar, only their words.
    pub(crate) fn bar_chart(&mut self, rows: &[(String, Count)], suppressed_words: &str) {
        let rows: Vec<&(String, Count)> = rows.iter().take(CHART_BARS).collect();
        let max =
            rows.iter().filter_map(|(_, c)| if let Count::Exact(n) = c { Some(*n) } else { None }).max().unwrap_or(0);
        let bar_h = 11.0;
        let step = if self.rtl() { 22.0 } else { 16.0 };
        self.ensure(step * rows.len() as f32 + 10.0);
        let width = PAGE_W - 2.0 * MARGIN;
        let label_w = width * 0.34;
        let number_w = 60.0;
        let area = width - label_w - number_w - 8.0;
        for (label, count) in &rows {
            let top = self.y;
            let (label_left, bar_start) = if self.rtl() {
                (PAGE_W - MARGIN - label_w, PAGE_W - MARGIN - label_w - 4.0)
            } else {
                (MARGIN, MARGIN + label_w + 4.0)
            };
            let label =
                text::wrap(self.fonts, &text::inert(label), SMALL, false, self.rtl(), label_w - 2.0, 1).remove(0);
            self.put(&label, label_left, label_w, top, SMALL, false);
            let (bar_len, number) = match count {
                Count::Exact(n) => (if max == 0 { 0.0 } else { area * (*n as f32) / (max as f32) }, n.to_string()),
                Count::Suppressed => (0.0, suppressed_words.to_owned()),
            };
            let bar_top = top + (step - bar_h) / 2.0;
            let bar_left = if self.rtl() { bar_start - bar_len } else { bar_start };
            if bar_len > 0.0 {
                self.ops().push(Op::Rect { x: bar_left, y: bar_top, w: bar_len, h: bar_h, gray: 150, outline: true });
            }
            let number_left = if self.rtl() { bar_left - 4.0 - number_w } else { bar_left + bar_len + 4.0 };
            // The number stands against the bar's end: its start faces the bar.
            self.put(&number, number_left, number_w, top, SMALL, true);
            self.y = top + step;
        }
        // The axis the bars grow from.
        let axis = if self.rtl() { PAGE_W - MARGIN - label_w - 4.0 } else { MARGIN + label_w + 4.0 };
        let top = self.y - step * rows.len() as f32;
        let bottom = self.y;
        self.ops().push(Op::Rule { x1: axis, y1: top, x2: axis, y2: bottom, width: 0.8 });
        self.y += 8.0;
    }

    /// The finished PDF: every page with its foot (the report's title and "page n of N").
    pub(crate) fn finish(mut self, page_word: &str) -> Result<Vec<u8>> {
        let n = self.pages.len();
        let title = self.title.clone();
        for i in 0..n {
            let foot_top = PAGE_H - MARGIN + 6.0;
            let number = format!("{page_word} {}", ltr(&format!("{} / {n}", i + 1)));
            let fonts = self.fonts;
            let rtl = self.rtl();
            let make = |s: &str| text::line(fonts, s, SMALL, false, rtl);
            let (t, p) = (make(&title), make(&number));
            let (title_x, number_x) =
                if rtl { (PAGE_W - MARGIN - t.width, MARGIN) } else { (MARGIN, PAGE_W - MARGIN - p.width) };
            let baseline = foot_top + SMALL;
            self.pages[i].push(Op::Rule {
                x1: MARGIN,
                y1: foot_top - 4.0,
                x2: PAGE_W - MARGIN,
                y2: foot_top - 4.0,
                width: 0.3,
            });
            self.pages[i].push(Op::Text { x: title_x, baseline, size: SMALL, line: t });
            self.pages[i].push(Op::Text { x: number_x, baseline, size: SMALL, line: p });
        }
        let mut doc = Document::new();
        let language = if self.rtl() { "ur" } else { "en" };
        doc.set_metadata(Metadata::new().title(title).language(language.to_owned()).creator("Gawahi".to_owned()));
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(Error::Bug("the page size is not valid"))?;
        for ops in self.pages {
            let mut page = doc.start_page_with(settings.clone());
            let mut s = page.surface();
            for op in ops {
                match op {
                    Op::Text { x, baseline, size, line } => {
                        s.set_fill(Some(Fill::default()));
                        s.set_stroke(None);
                        for piece in line.pieces {
                            s.draw_glyphs(
                                Point::from_xy(x + piece.x, baseline),
                                &piece.glyphs,
                                piece.font,
                                &piece.text,
                                size,
                                false,
                            );
                        }
                    }
                    Op::Rect { x, y, w, h, gray, outline } => {
                        let mut pb = PathBuilder::new();
                        if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                            pb.push_rect(rect);
                        }
                        let Some(path) = pb.finish() else { continue };
                        s.set_fill(Some(Fill { paint: luma::Color::new(gray).into(), ..Fill::default() }));
                        s.set_stroke(outline.then(|| Stroke { width: 0.6, ..Stroke::default() }));
                        s.draw_path(&path);
                    }
                    Op::Rule { x1, y1, x2, y2, width } => {
                        let mut pb = PathBuilder::new();
                        pb.move_to(x1, y1);
                        pb.line_to(x2, y2);
                        let Some(path) = pb.finish() else { continue };
                        s.set_fill(None);
                        s.set_stroke(Some(Stroke { width, ..Stroke::default() }));
                        s.draw_path(&path);
                    }
                }
            }
            s.finish();
            page.finish();
        }
        doc.finish().map_err(|_| Error::Bug("the PDF could not be assembled"))
    }
}

/// `s` isolated left to right (LRI … PDI): a date or "1 / 2" after Urdu words would otherwise
/// take the Arabic-number rules and read `30-11-2026`.
pub(crate) fn ltr(s: &str) -> String {
    format!("\u{2066}{s}\u{2069}")
}

/// The words of the reports, in English and Urdu.
pub(crate) fn words(lang: Lang, key: &str) -> &'static str {
    let (en, ur) = match key {
        "summary" => ("Summary report", "خلاصہ رپورٹ"),
        "dossier" => ("Case dossier", "مقدمے کی فائل"),
        "cause_list" => ("Cause list", "کاز لسٹ"),
        "made_on" => ("Made on", "تیاری کی تاریخ"),
        "period" => ("Dates", "تاریخیں"),
        "anonymised" => (
            "Anonymised: people appear only with their consent and under pseudonyms; dates show only their month; \
             counts under 3 are not shown, nor the others that would give them away.",
            "گمنام رپورٹ: افراد صرف اپنی رضامندی سے اور فرضی ناموں سے شامل ہیں؛ تاریخوں کا صرف مہینہ دکھایا گیا ہے؛ \
             3 سے کم تعداد نہیں دکھائی گئی، نہ وہ دوسری تعداد جن سے انہیں نکالا جا سکے۔",
        ),
        "page" => ("Page", "صفحہ"),
        "records" => ("Records in the vault", "والٹ میں ریکارڈ"),
        "kind" => ("Kind", "نوعیت"),
        "count" => ("Number", "تعداد"),
        "not_shown" => ("not shown", "نہیں دکھایا گیا"),
        "withheld" => (
            "Too few records to show by this without pointing to someone.",
            "اس لحاظ سے ریکارڈ اتنے کم ہیں کہ انہیں دکھانے سے کسی کی نشاندہی ہو سکتی ہے۔",
        ),
        "none" => ("None recorded.", "کچھ درج نہیں۔"),
        "not_recorded" => ("not recorded", "درج نہیں"),
        "by_type" => ("Incidents by type", "واقعات بلحاظ قسم"),
        "by_province" => ("Incidents by province or territory", "واقعات بلحاظ صوبہ یا علاقہ"),
        "by_month" => ("Incidents by month", "واقعات بلحاظ مہینہ"),
        "by_case_kind" => ("Cases by kind", "مقدمات بلحاظ نوعیت"),
        "by_status" => ("Cases by status", "مقدمات بلحاظ حیثیت"),
        "person" => ("People", "افراد"),
        "organisation" => ("Organisations", "تنظیمیں"),
        "incident" => ("Incidents", "واقعات"),
        "threat" => ("Threats", "دھمکیاں"),
        "risk" => ("Risk assessments", "خطرے کے جائزے"),
        "case" => ("Cases", "مقدمات"),
        "one_case" => ("Case", "مقدمہ"),
        "hearing" => ("Hearings", "سماعتیں"),
        "referral" => ("Referrals", "حوالہ جات"),
        "task" => ("Tasks", "کام"),
        "title" => ("Title", "عنوان"),
        "status" => ("Status", "حیثیت"),
        "court" => ("Court", "عدالت"),
        "judge" => ("Judge", "جج"),
        "fir_number" => ("FIR number", "ایف آئی آر نمبر"),
        "fir_date" => ("FIR date", "ایف آئی آر کی تاریخ"),
        "police_station" => ("Police station", "تھانہ"),
        "agency" => ("Investigating agency", "تفتیشی ادارہ"),
        "bail" | "ev_bail" => ("Bail", "ضمانت"),
        "charges" => ("Charges", "الزامات"),
        "timeline" => ("Timeline", "واقعات کی ترتیب"),
        "date" => ("Date", "تاریخ"),
        "event" => ("Event", "واقعہ"),
        "details" => ("Details", "تفصیل"),
        "purpose" => ("Purpose", "مقصد"),
        "outcome" => ("Outcome", "نتیجہ"),
        "next_date" => ("Next date", "اگلی تاریخ"),
        "bail_events" => ("Bail", "ضمانت کی کارروائی"),
        "stage" => ("Stage", "مرحلہ"),
        "order" => ("Order", "حکم"),
        "surety" => ("Surety (PKR)", "ضمانتی مچلکہ (روپے)"),
        "incidents" => ("Linked incidents", "منسلک واقعات"),
        "people" => ("Linked people", "منسلک افراد"),
        "place" => ("Place", "مقام"),
        "role" => ("Role", "کردار"),
        "name" => ("Name", "نام"),
        "name_withheld" => ("name withheld", "نام مخفی"),
        "evidence" => ("Evidence", "شواہد"),
        "file" => ("File", "فائل"),
        "size" => ("Size (bytes)", "سائز (بائٹس)"),
        "type" => ("Type", "قسم"),
        "sha256" => ("SHA-256 at intake", "وصولی پر SHA-256"),
        "evidence_withheld" => (
            "Sizes and hashes are not shown in an anonymised dossier: whoever holds a file could find it by them.",
            "گمنام فائل میں سائز اور ہیش نہیں دکھائے گئے: جس کے پاس فائل ہو وہ ان سے اسے پہچان سکتا ہے۔",
        ),
        "record" => ("Record", "ریکارڈ"),
        "case_number" => ("Case number", "مقدمہ نمبر"),
        "court_not_recorded" => ("Court not recorded", "عدالت درج نہیں"),
        "no_hearings" => ("No hearings in these dates.", "ان تاریخوں میں کوئی سماعت نہیں۔"),
        // Timeline events.
        "ev_fir" => ("FIR registered", "ایف آئی آر درج"),
        "ev_hearing" => ("Hearing", "سماعت"),
        "ev_next_date" => ("Next date fixed", "اگلی تاریخ مقرر"),
        "ev_status" => ("Status changed", "حیثیت تبدیل"),
        "ev_last_seen" => ("Last seen", "آخری بار دیکھا گیا"),
        "ev_arrested" => ("Arrested", "گرفتاری"),
        "ev_sentenced" => ("Sentenced", "سزا سنائی گئی"),
        "ev_consular_access" => ("Consular access", "قونصلر رسائی"),
        "ev_documentation_expiry" => ("Papers expire", "دستاویزات کی میعاد ختم"),
        "ev_deportation_order" => ("Deportation order", "ملک بدری کا حکم"),
        "ev_deported" => ("Deported", "ملک بدر"),
        "ev_compliance" => ("Compliance date", "تعمیل کی تاریخ"),
        "ev_deadline" => ("Deadline", "آخری تاریخ"),
        // Hearing statuses.
        "hs_scheduled" => ("scheduled", "مقرر"),
        "hs_held" => ("held", "ہوئی"),
        "hs_adjourned" => ("adjourned", "ملتوی"),
        "hs_not_taken_up" => ("not taken up", "پیش نہ ہوئی"),
        "hs_decided" => ("decided", "فیصلہ ہو گیا"),
        // Bail statuses and events.
        "bail_not_applied" => ("not applied for", "درخواست نہیں دی گئی"),
        "bail_applied" | "be_applied" => ("applied for", "درخواست دی گئی"),
        "bail_granted" | "be_granted" => ("granted", "منظور"),
        "bail_refused" | "be_refused" => ("refused", "مسترد"),
        "bail_cancelled" | "be_cancelled" => ("cancelled", "منسوخ"),
        "be_interim_granted" => ("interim bail granted", "عبوری ضمانت منظور"),
        "be_confirmed" => ("confirmed", "توثیق ہو گئی"),
        "be_recalled" => ("recalled", "واپس لے لی گئی"),
        "stage_pre_arrest" => ("pre-arrest", "قبل از گرفتاری"),
        "stage_post_arrest" => ("post-arrest", "بعد از گرفتاری"),
        // Deadlines' purposes.
        "dl_appeal" => ("appeal", "اپیل"),
        "dl_revision" => ("revision", "نگرانی"),
        "dl_petition" => ("petition", "درخواست"),
        "dl_compliance" => ("compliance", "تعمیل"),
        "dl_document_expiry" => ("papers expire", "دستاویزات کی میعاد"),
        "dl_deportation" => ("deportation", "ملک بدری"),
        "dl_reply" => ("reply", "جواب"),
        "dl_other" => ("other", "دیگر"),
        _ => ("", ""),
    };
    match lang {
        Lang::En => en,
        Lang::Ur => ur,
    }
}

/// A word for a code (`prefix_code`), or the code made readable when there is none.
pub(crate) fn word_or_code(lang: Lang, prefix: &str, code: &str) -> String {
    let w = words(lang, &format!("{prefix}_{code}"));
    if w.is_empty() { code.replace('_', " ") } else { w.to_owned() }
}

/// The heading of a table of counts.
pub(crate) fn count_heading(lang: Lang, by: CountBy) -> &'static str {
    words(
        lang,
        match by {
            CountBy::IncidentType => "by_type",
            CountBy::Province => "by_province",
            CountBy::Month => "by_month",
            CountBy::CaseKind => "by_case_kind",
            CountBy::CaseStatus => "by_status",
        },
    )
}

/// The rows of a table of counts as text.
pub(crate) fn count_rows(lang: Lang, table: &CountTable) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|(label, count)| {
            let n = match count {
                Count::Exact(n) => n.to_string(),
                Count::Suppressed => words(lang, "not_shown").to_owned(),
            };
            vec![label.clone(), n]
        })
        .collect()
}
