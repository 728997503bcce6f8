//! Drawing shared by the live views: the highlighted title style, the
//! title-header-rows-hint table of the sampled views, and htop's meter.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Reverse-video title and table-header lines.
pub fn title_style() -> Style {
    Style::new().bg(Color::Green).fg(Color::Black)
}

/// Draws `title` (bold header lines), a highlighted table header and the
/// rows from `scroll`, and a key hint at the bottom.
pub(crate) fn render_table(
    f: &mut Frame,
    title: Vec<Line>,
    header: &str,
    rows: &[String],
    scroll: usize,
) {
    let area = f.area();
    let th = title.len() as u16;
    f.render_widget(
        Paragraph::new(title),
        Rect {
            height: th.min(area.height),
            ..area
        },
    );
    if area.height <= th + 1 {
        return;
    }
    let pad = (area.width as usize).saturating_sub(header.chars().count());
    let head = Line::styled(format!("{header}{}", " ".repeat(pad)), title_style());
    f.render_widget(
        Paragraph::new(head),
        Rect::new(area.x, area.y + th, area.width, 1),
    );
    let body_h = area.height - th - 2;
    let body: Vec<Line> = rows
        .iter()
        .skip(scroll.min(rows.len().saturating_sub(1)))
        .take(body_h as usize)
        .map(|r| Line::raw(r.as_str()))
        .collect();
    f.render_widget(
        Paragraph::new(body),
        Rect::new(area.x, area.y + th + 1, area.width, body_h),
    );
    let hint = Line::from(vec![
        Span::styled("q", Style::new().bg(Color::Cyan).fg(Color::Black)),
        Span::raw("Quit "),
        Span::styled("↑↓", Style::new().bg(Color::Cyan).fg(Color::Black)),
        Span::raw("Scroll"),
    ]);
    f.render_widget(
        Paragraph::new(hint),
        Rect::new(area.x, area.y + area.height - 1, area.width, 1),
    );
}

/// An htop-style meter, `LABEL[|||||     text]`, `width` cells wide.
pub fn meter(label: &str, percent: f64, text: &str, width: u16) -> Line<'static> {
    let inner = (width as usize).saturating_sub(label.chars().count() + 2);
    let fill = ((percent.clamp(0.0, 100.0) / 100.0) * inner as f64).round() as usize;
    let text: String = text.chars().take(inner).collect();
    let tlen = text.chars().count();
    let bar_end = fill.min(inner - tlen);
    let mut bar = "|".repeat(bar_end);
    bar.push_str(&" ".repeat(inner - tlen - bar_end));
    let color = if percent >= 90.0 {
        Color::Red
    } else if percent >= 60.0 {
        Color::Yellow
    } else {
        Color::Green
    };
    Line::from(vec![
        Span::styled(label.to_string(), Style::new().fg(Color::Cyan)),
        Span::raw("["),
        Span::styled(bar, Style::new().fg(color)),
        Span::styled(text, Style::new().add_modifier(Modifier::DIM)),
        Span::raw("]"),
    ])
}
