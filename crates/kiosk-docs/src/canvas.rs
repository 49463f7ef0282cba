//! A page-flow canvas in millimetres measured from the top-left corner, turned into
//! printpdf pages at the end. Pages either have a fixed height (A4) or grow with their
//! content (thermal receipt roll).

use std::collections::BTreeSet;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, WindingOrder,
};

use crate::DocsError;
use crate::font::DocumentFont;

/// The tallest page PDF allows is 14 400 pt (200 in); stay below it.
const MAX_PAGE_HEIGHT_MM: f32 = 5000.0;

/// Size and margins of the paper.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PaperSpec {
    pub width: f32,
    /// `None`: the page grows to fit its content (roll paper).
    pub height: Option<f32>,
    pub margin_x: f32,
    pub margin_top: f32,
    /// Space kept free at the bottom of a fixed page (footer lives there).
    pub margin_bottom: f32,
}

impl PaperSpec {
    pub fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin_x
    }
}

/// Something drawn on a page.
#[derive(Debug, Clone)]
enum Mark {
    /// Text whose baseline is at `y` (mm from the top).
    Text {
        x: f32,
        y: f32,
        size_pt: f32,
        text: String,
    },
    /// Filled (black) rectangle.
    Fill { x: f32, y: f32, w: f32, h: f32 },
    /// Outlined rectangle, optionally dashed.
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        dashed: bool,
    },
    /// Horizontal or any straight line.
    Rule { x1: f32, y1: f32, x2: f32, y2: f32 },
}

/// One page being drawn.
#[derive(Debug, Default)]
pub(crate) struct Page {
    marks: Vec<Mark>,
}

impl Page {
    pub fn text(&mut self, x: f32, baseline: f32, size_pt: f32, text: &str) {
        if !text.is_empty() {
            self.marks.push(Mark::Text {
                x,
                y: baseline,
                size_pt,
                text: text.to_owned(),
            });
        }
    }
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.marks.push(Mark::Fill { x, y, w, h });
    }
    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, dashed: bool) {
        self.marks.push(Mark::Frame { x, y, w, h, dashed });
    }
    pub fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.marks.push(Mark::Rule { x1, y1, x2, y2 });
    }
}

/// Lays content out top to bottom, starting a new page when the next block does not fit.
#[derive(Debug)]
pub(crate) struct Flow<'f> {
    pub font: &'f DocumentFont,
    pub paper: PaperSpec,
    done: Vec<Page>,
    page: Page,
    /// Current position, mm from the top of the current page.
    pub y: f32,
}

impl<'f> Flow<'f> {
    pub fn new(font: &'f DocumentFont, paper: PaperSpec) -> Self {
        Self {
            font,
            paper,
            done: Vec::new(),
            page: Page::default(),
            y: paper.margin_top,
        }
    }

    /// Bottom limit of content on the current page.
    fn limit(&self) -> f32 {
        match self.paper.height {
            Some(h) => h - self.paper.margin_bottom,
            None => MAX_PAGE_HEIGHT_MM - self.paper.margin_bottom,
        }
    }

    /// Space left on the current page.
    pub fn room(&self) -> f32 {
        self.limit() - self.y
    }

    /// Usable height of an empty page.
    pub fn page_capacity(&self) -> f32 {
        self.limit() - self.paper.margin_top
    }

    /// Makes sure `height` mm fit below the cursor, breaking the page if needed.
    pub fn reserve(&mut self, height: f32) {
        if height > self.room() && self.y > self.paper.margin_top {
            self.break_page();
        }
    }

    pub fn break_page(&mut self) {
        let page = std::mem::take(&mut self.page);
        self.done.push(page);
        self.y = self.paper.margin_top;
    }

    pub fn page(&mut self) -> &mut Page {
        &mut self.page
    }

    /// Writes lines of text at `x`, each on a new line of height `leading` mm; breaks
    /// pages between lines when needed.
    pub fn lines(&mut self, x: f32, size_pt: f32, leading: f32, lines: &[String]) {
        for line in lines {
            self.reserve(leading);
            let baseline = self.y + leading * 0.78;
            self.page.text(x, baseline, size_pt, line);
            self.y += leading;
        }
    }

    /// Finishes the last page and returns all pages with their heights in mm.
    pub fn finish(mut self) -> Vec<(Page, f32)> {
        let last_height = match self.paper.height {
            Some(h) => h,
            None => (self.y + self.paper.margin_bottom).max(self.paper.width),
        };
        let fixed = self.paper.height.unwrap_or(MAX_PAGE_HEIGHT_MM);
        let page = std::mem::take(&mut self.page);
        let mut pages: Vec<(Page, f32)> = self.done.into_iter().map(|p| (p, fixed)).collect();
        pages.push((page, last_height));
        pages
    }
}

/// Line height in mm for text of `size_pt` with the given spacing factor.
pub(crate) fn leading(size_pt: f32, factor: f32) -> f32 {
    size_pt * factor * crate::font::MM_PER_PT
}

fn pt(mm: f32) -> Pt {
    Mm(mm).into()
}

fn black() -> Color {
    Color::Rgb(Rgb {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        icc_profile: None,
    })
}

/// Converts pages into a PDF file, with the glyphs of their text embedded.
pub(crate) fn to_pdf(
    title: &str,
    font: &DocumentFont,
    width_mm: f32,
    pages: Vec<(Page, f32)>,
) -> Result<Vec<u8>, DocsError> {
    let chars: BTreeSet<char> = pages
        .iter()
        .flat_map(|(page, _)| &page.marks)
        .filter_map(|mark| match mark {
            Mark::Text { text, .. } => Some(text.chars()),
            _ => None,
        })
        .flatten()
        .collect();
    let mut doc = PdfDocument::new(title);
    let font_id = doc.add_font(&font.subset(&chars)?);
    let pdf_pages = pages
        .into_iter()
        .map(|(page, height)| {
            PdfPage::new(Mm(width_mm), Mm(height), page_ops(&page, height, &font_id))
        })
        .collect();
    // The font is a subset already: printpdf embeds it as it is.
    let options = PdfSaveOptions {
        subset_fonts: false,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let bytes = doc.with_pages(pdf_pages).save(&options, &mut warnings);
    for warning in warnings {
        log::debug!("printpdf: {warning:?}");
    }
    Ok(bytes)
}

fn page_ops(page: &Page, height: f32, font_id: &FontId) -> Vec<Op> {
    let mut ops = vec![
        Op::SetFillColor { col: black() },
        Op::SetOutlineColor { col: black() },
        Op::SetOutlineThickness { pt: Pt(0.6) },
    ];
    let mut dashed = false;
    for mark in &page.marks {
        match mark {
            Mark::Text {
                x,
                y,
                size_pt,
                text,
            } => ops.extend([
                Op::StartTextSection,
                Op::SetFont {
                    font: PdfFontHandle::External(font_id.clone()),
                    size: Pt(*size_pt),
                },
                Op::SetTextCursor {
                    pos: Point {
                        x: pt(*x),
                        y: pt(height - y),
                    },
                },
                Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                },
                Op::EndTextSection,
            ]),
            Mark::Fill { x, y, w, h } => ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: pt(*x),
                    y: pt(height - y - h),
                    width: pt(*w),
                    height: pt(*h),
                    mode: Some(PaintMode::Fill),
                    winding_order: Some(WindingOrder::NonZero),
                },
            }),
            Mark::Frame {
                x,
                y,
                w,
                h,
                dashed: want,
            } => {
                if *want != dashed {
                    dashed = *want;
                    ops.push(Op::SetLineDashPattern {
                        dash: dash_pattern(dashed),
                    });
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: pt(*x),
                        y: pt(height - y - h),
                        width: pt(*w),
                        height: pt(*h),
                        mode: Some(PaintMode::Stroke),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
            }
            Mark::Rule { x1, y1, x2, y2 } => {
                if dashed {
                    dashed = false;
                    ops.push(Op::SetLineDashPattern {
                        dash: dash_pattern(false),
                    });
                }
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: Point {
                                    x: pt(*x1),
                                    y: pt(height - y1),
                                },
                                bezier: false,
                            },
                            LinePoint {
                                p: Point {
                                    x: pt(*x2),
                                    y: pt(height - y2),
                                },
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
        }
    }
    ops
}

fn dash_pattern(dashed: bool) -> printpdf::LineDashPattern {
    if dashed {
        printpdf::LineDashPattern::new(0.0, &[3.0, 2.0])
    } else {
        printpdf::LineDashPattern::solid()
    }
}

impl Flow<'_> {
    /// Wraps `text` into `width` mm starting at `x` and writes it.
    pub fn paragraph(&mut self, x: f32, width: f32, size_pt: f32, spacing: f32, text: &str) {
        let lines = crate::text::wrap(self.font, text, size_pt, width);
        self.lines(x, size_pt, leading(size_pt, spacing), &lines);
    }

    /// Writes `text` centred between the margins, wrapping when it is too wide.
    pub fn centered(&mut self, size_pt: f32, spacing: f32, text: &str) {
        let width = self.paper.content_width();
        let lines = crate::text::wrap(self.font, text, size_pt, width);
        let lead = leading(size_pt, spacing);
        for line in &lines {
            self.reserve(lead);
            let x =
                self.paper.margin_x + (width - self.font.width_mm(line, size_pt)).max(0.0) / 2.0;
            let baseline = self.y + lead * 0.78;
            self.page.text(x, baseline, size_pt, line);
            self.y += lead;
        }
    }

    /// Moves the cursor down by `mm` (not past the page end).
    pub fn space(&mut self, mm: f32) {
        self.y = (self.y + mm).min(self.limit());
    }

    /// Number of pages so far, the current one included.
    pub fn page_count(&self) -> usize {
        self.done.len() + 1
    }
}
