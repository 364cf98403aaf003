//! Small PDFs written by hand for the tests: one page with a line of text, an optional comment
//! after the header (where a test hides its canary) and an optional JavaScript opening action (as
//! a malicious PDF would carry), with the cross-reference table at the right offsets so that a
//! viewer opens it without repairing it.

/// A one-page PDF showing `text` in Helvetica.
pub fn one_page(text: &str, comment: Option<&str>, open_action_js: Option<&str>) -> Vec<u8> {
    let content = format!("BT /F1 24 Tf 72 720 Td ({text}) Tj ET");
    let catalog = if open_action_js.is_some() {
        "<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>"
    } else {
        "<< /Type /Catalog /Pages 2 0 R >>"
    };
    let mut objects = vec![
        catalog.to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    if let Some(js) = open_action_js {
        objects.push(format!("<< /Type /Action /S /JavaScript /JS ({js}) >>"));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    if let Some(comment) = comment {
        out.extend_from_slice(format!("% {comment}\n").as_bytes());
    }
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}
