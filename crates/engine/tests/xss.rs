//! XSS vectors through `render_markdown`, checked by an independent HTML scanner.
//!
//! The vectors draw on the OWASP XSS Filter Evasion Cheat Sheet and on known
//! mutation-XSS payloads. Each is rendered on its own and inside several kinds of
//! ordinary Markdown, and the output must pass [`check`]: only the tags and attributes
//! the renderer is meant to produce, no event handlers, no `style`, and every `href`
//! (after entity decoding and removing whitespace and control characters) starting
//! with `https:`, `http:`, `mailto:`, `tel:` or `#`.

use csec_engine::render::render_markdown;

/// Tags that must never appear, named in the error for clarity.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "svg", "math", "iframe", "style", "object", "embed", "form", "meta", "base", "link",
    "img", "input", "button",
];

/// Everything else the renderer may produce.
const ALLOWED_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "a",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "div",
];

const ALLOWED_ATTRIBUTES: &[&str] = &["id", "href", "class", "rel", "start"];

const SAFE_URL_PREFIXES: &[&str] = &["https:", "http:", "mailto:", "tel:", "#"];

// ---------------------------------------------------------------------------------
// The checker: a small HTML tokenizer following the HTML5 tokenizer's rules for the
// data state, tags and attributes. It refuses anything it does not understand
// (comments, doctypes, a `<` that does not open a tag), which is stricter than a
// browser, so it can only err on the side of failing.

#[derive(Debug)]
struct StartTag {
    name: String,
    attributes: Vec<(String, String)>,
}

fn is_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// Returns the start tags of `html`, and the names of its end tags.
fn tokenize(html: &str) -> Result<(Vec<StartTag>, Vec<String>), String> {
    let chars: Vec<char> = html.chars().collect();
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '<' {
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some('!') | Some('?') => return Err(format!("comment or markup declaration at {i}")),
            Some('/') => {
                if !chars.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic()) {
                    return Err(format!("bogus end tag at {i}"));
                }
                let mut j = i + 2;
                let mut name = String::new();
                while j < chars.len() && !is_space(chars[j]) && chars[j] != '/' && chars[j] != '>' {
                    name.extend(chars[j].to_lowercase());
                    j += 1;
                }
                while j < chars.len() && chars[j] != '>' {
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(format!("unterminated end tag at {i}"));
                }
                ends.push(name);
                i = j + 1;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (tag, next) = start_tag(&chars, i + 1)?;
                starts.push(tag);
                i = next;
            }
            _ => return Err(format!("unescaped '<' at {i}")),
        }
    }
    Ok((starts, ends))
}

/// Parses a start tag whose name begins at `i`; returns it and the index after `>`.
fn start_tag(chars: &[char], mut i: usize) -> Result<(StartTag, usize), String> {
    let at = i;
    let mut name = String::new();
    while i < chars.len() && !is_space(chars[i]) && chars[i] != '/' && chars[i] != '>' {
        name.extend(chars[i].to_lowercase());
        i += 1;
    }
    let mut attributes = Vec::new();
    loop {
        while i < chars.len() && (is_space(chars[i]) || chars[i] == '/') {
            i += 1;
        }
        match chars.get(i) {
            None => return Err(format!("unterminated tag <{name} at {at}")),
            Some('>') => return Ok((StartTag { name, attributes }, i + 1)),
            Some(_) => {}
        }
        let mut attribute = String::new();
        // A leading '=' belongs to the name, as in the HTML tokenizer.
        if chars[i] == '=' {
            attribute.push('=');
            i += 1;
        }
        while i < chars.len() && !is_space(chars[i]) && !matches!(chars[i], '/' | '>' | '=') {
            attribute.extend(chars[i].to_lowercase());
            i += 1;
        }
        while i < chars.len() && is_space(chars[i]) {
            i += 1;
        }
        let mut value = String::new();
        if chars.get(i) == Some(&'=') {
            i += 1;
            while i < chars.len() && is_space(chars[i]) {
                i += 1;
            }
            match chars.get(i) {
                Some(&quote) if quote == '"' || quote == '\'' => {
                    i += 1;
                    while i < chars.len() && chars[i] != quote {
                        value.push(chars[i]);
                        i += 1;
                    }
                    if i >= chars.len() {
                        return Err(format!("unterminated attribute value in <{name} at {at}"));
                    }
                    i += 1;
                }
                _ => {
                    while i < chars.len() && !is_space(chars[i]) && chars[i] != '>' {
                        value.push(chars[i]);
                        i += 1;
                    }
                }
            }
        }
        attributes.push((attribute, value));
    }
}

/// Decodes numeric character references (with or without `;`, any number of leading
/// zeros) and the named references that matter for URLs. Unknown names stay as they
/// are, which can only make a URL look less safe.
fn decode_entities(s: &str) -> String {
    const NAMED: &[(&str, &str)] = &[
        ("amp", "&"),
        ("lt", "<"),
        ("gt", ">"),
        ("quot", "\""),
        ("apos", "'"),
        ("colon", ":"),
        ("tab", "\t"),
        ("newline", "\n"),
        ("nbsp", "\u{a0}"),
        ("sol", "/"),
        ("bsol", "\\"),
        ("lpar", "("),
        ("rpar", ")"),
        ("num", "#"),
        ("period", "."),
        ("comma", ","),
        ("excl", "!"),
        ("semi", ";"),
        ("equals", "="),
        ("quest", "?"),
    ];
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '&' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'#') {
            let hex = matches!(chars.get(i + 2), Some('x') | Some('X'));
            let mut j = if hex { i + 3 } else { i + 2 };
            let radix = if hex { 16 } else { 10 };
            let mut code: u32 = 0;
            let digits_start = j;
            while let Some(d) = chars.get(j).and_then(|c| c.to_digit(radix)) {
                code = code.saturating_mul(radix).saturating_add(d);
                j += 1;
            }
            if j > digits_start {
                if chars.get(j) == Some(&';') {
                    j += 1;
                }
                out.push(
                    char::from_u32(code)
                        .filter(|&c| c != '\0')
                        .unwrap_or('\u{fffd}'),
                );
                i = j;
                continue;
            }
        } else {
            let mut j = i + 1;
            let mut name = String::new();
            while let Some(c) = chars.get(j).filter(|c| c.is_ascii_alphanumeric()) {
                name.push(c.to_ascii_lowercase());
                j += 1;
            }
            if let Some((_, value)) = NAMED.iter().find(|(n, _)| *n == name) {
                if chars.get(j) == Some(&';') {
                    j += 1;
                }
                out.push_str(value);
                i = j;
                continue;
            }
        }
        out.push('&');
        i += 1;
    }
    out
}

fn check_url(tag: &str, attribute: &str, value: &str) -> Result<(), String> {
    let normalised: String = decode_entities(value)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    if SAFE_URL_PREFIXES.iter().any(|p| normalised.starts_with(p)) {
        Ok(())
    } else {
        Err(format!(
            "<{tag} {attribute}={value:?}> is not an allowed URL ({normalised:?})"
        ))
    }
}

/// Every problem with `html`, or `Ok` if it is safe.
fn check(html: &str) -> Result<(), String> {
    let lower = html.to_lowercase();
    for tag in FORBIDDEN_TAGS {
        if lower.contains(&format!("<{tag}")) {
            return Err(format!("contains <{tag}"));
        }
    }
    let (starts, ends) = tokenize(html)?;
    for tag in &starts {
        if FORBIDDEN_TAGS.contains(&tag.name.as_str()) {
            return Err(format!("forbidden tag <{}>", tag.name));
        }
        if !ALLOWED_TAGS.contains(&tag.name.as_str()) {
            return Err(format!("unexpected tag <{}>", tag.name));
        }
        for (attribute, value) in &tag.attributes {
            if attribute.starts_with("on") {
                return Err(format!("event handler {attribute} on <{}>", tag.name));
            }
            if attribute == "style" {
                return Err(format!("style attribute on <{}>", tag.name));
            }
            if !ALLOWED_ATTRIBUTES.contains(&attribute.as_str()) {
                return Err(format!(
                    "unexpected attribute {attribute} on <{}>",
                    tag.name
                ));
            }
            if attribute == "href" {
                check_url(&tag.name, attribute, value)?;
            }
        }
    }
    for name in &ends {
        if !ALLOWED_TAGS.contains(&name.as_str()) {
            return Err(format!("unexpected end tag </{name}>"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// The vectors.

const VECTORS: &[&str] = &[
    // Script elements.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<script/xss src=\"https://xss.example/x.js\"></script>",
    "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script",
    "\"><script>alert(1)</script>",
    "'><script>alert(1)</script>",
    "</p><script>alert(1)</script><p>",
    // Images and event handlers.
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x:alert(alt) onerror=eval(src) alt=xss>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<img src=\"x",
    "<body onload=alert(1)>",
    "<div onmouseover=\"alert(1)\">x</div>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\">",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<x onclick=alert(1)>click",
    "<frameset onload=alert(1)>",
    // SVG and MathML, including mutation XSS.
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<math href=\"javascript:alert(1)\">x</math>",
    "<select><template><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><img src=x onerror=alert(1)></template>",
    "<xmp><p title=\"</xmp><img src=x onerror=alert(1)>\">",
    "<plaintext><img src=x onerror=alert(1)>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    // Frames, objects, forms and document-level tags.
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<iframe/src=\"data:text/html,<svg onload=alert(1)>\">",
    "<object data=\"javascript:alert(1)\"></object>",
    "<object type=\"text/x-scriptlet\" data=\"https://xss.example/scriptlet.html\"></object>",
    "<embed src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\" type=\"image/svg+xml\">",
    "<embed src=https://xss.example/x.swf>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<form id=x></form><button form=x formaction=javascript:alert(1)>x",
    "<input onfocus=alert(1) autofocus>",
    "<input type=\"image\" src=\"javascript:alert(1)\">",
    "<keygen autofocus onfocus=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=\"import\" href=\"https://xss.example/x.html\">",
    "<link rel=\"stylesheet\" href=\"javascript:alert(1)\">",
    // Styles.
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"x:expression(alert(1))\">x</p>",
    "<style>@import'javascript:alert(1)';</style>",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<a href=\"https://example.org\" style=\"position:fixed;top:0\">x</a>",
    "<table background=\"javascript:alert(1)\"><td background=\"javascript:alert(1)\">",
    // Raw anchors.
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"javas&#99;ript:alert(1)\">x</a>",
    "<a href=javascript&colon;alert(1)>x</a>",
    "<a href=\"\x01javascript:alert(1)\">x</a>",
    "<a href=\"java\nscript:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "<a href=\"https://example.org\"onmouseover=alert(1)>x</a>",
    "<a href=\"https://example.org\">unclosed <b>tag",
    // Markdown links.
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3a;alert(1))",
    "[x](jav\tascript:alert(1))",
    "[x](<jav\tascript:alert(1)>)",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](javascript\\:alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](javascript%3Aalert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/x)",
    "[x](\\\\evil.example/x)",
    "[x](https:javascript:alert(1))",
    "[x](tel:javascript:alert(1))",
    "[x](https://example.org \"title\\\" onmouseover=\\\"alert(1)\")",
    "[x](https://example.org\" onmouseover=\"alert(1))",
    "[x](https://example.org/<script>alert(1)</script>)",
    "[x](https://example.org\\\"><script>alert(1)</script>)",
    "[x](mailto:a@example.org?body=<script>alert(1)</script>)",
    "[x](\njavascript:alert(1)\n)",
    "[x\n](java\nscript:alert(1))",
    "[a](https://example.org)[b](javascript:alert(1))",
    "[<img src=x onerror=alert(1)>](https://example.org)",
    "[x](https://example.org)<img src=x onerror=alert(1)>",
    "[[x](javascript:alert(1))](https://example.org)",
    "[x](guidance/acl-16-49#\"><script>alert(1)</script>)",
    "[x](guidance/acl-16-49#x\\\" onclick=\\\"alert(1))",
    "[x](#/item/guidance/x\" onclick=\"alert(1))",
    // Reference links and autolinks.
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n[r]: <javascript:alert(1)> \"t\"",
    "[x]\n\n[x]: &#106;avascript:alert(1)",
    "[x][]\n\n[x]: data:text/html,<script>alert(1)</script>",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<vbscript:msgbox(1)>",
    "<https://example.org/\"onmouseover=\"alert(1)>",
    // Images.
    "![x](javascript:alert(1))",
    "![x](x\" onerror=\"alert(1))",
    "![x\" onerror=\"alert(1)](https://example.org/x.png)",
    "![<img src=x onerror=alert(1)>](x)",
    // Markdown constructs carrying HTML.
    "`<img src=x onerror=alert(1)>`",
    "```\n<script>alert(1)</script>\n```",
    "```js\" onmouseover=\"alert(1)\n1\n```",
    "    <script>alert(1)</script>",
    "## Heading {onclick=alert(1) style=color:red}",
    "## Heading {#x\" onclick=\"alert(1)}",
    "## <img src=x onerror=alert(1)>",
    "| <script>alert(1)</script> |\n|---|\n| <img src=x onerror=alert(1)> |",
    "[^<script>alert(1)</script>]\n\n[^<script>alert(1)</script>]: x",
    "[^x\" onclick=\"alert(1)]\n\n[^x\" onclick=\"alert(1)]: note",
    "[^n]\n\n[^n]: <svg onload=alert(1)>",
    // Entities in text.
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
];

/// Control characters put in front of a scheme (browsers strip leading controls).
const CONTROLS: &[char] = &[
    '\0', '\x01', '\x08', '\x0b', '\x0c', '\x0e', '\x1f', '\x7f', '\u{80}', '\u{85}', '\u{a0}',
    '\u{feff}',
];

fn vectors() -> Vec<String> {
    let mut all: Vec<String> = VECTORS.iter().map(|v| v.to_string()).collect();
    for c in CONTROLS {
        all.push(format!("[x]({c}javascript:alert(1))"));
        all.push(format!("[x](java{c}script:alert(1))"));
    }
    all
}

/// Ways of placing a vector inside ordinary Markdown.
const CONTEXTS: &[&str] = &[
    "{}",
    "Some **normal** text with a [link](https://example.org) and [an item](guidance/acl-16-49).\n\n{}\n\nMore text after it.",
    "Inline {} text.",
    "- first\n- {}\n- last",
    "> {}",
    "## {}",
    "| a | b |\n|---|---|\n| {} | x |",
    "Note[^n].\n\n[^n]: {}",
    "[{}](https://example.org)",
];

fn assert_safe(markdown: &str) {
    let html = render_markdown(markdown).html;
    if let Err(why) = check(&html) {
        panic!("unsafe output: {why}\n  input:  {markdown:?}\n  output: {html:?}");
    }
}

#[test]
fn there_are_enough_vectors() {
    assert!(vectors().len() >= 60, "{}", vectors().len());
}

#[test]
fn vectors_render_safely_in_every_context() {
    for vector in vectors() {
        for context in CONTEXTS {
            assert_safe(&context.replace("{}", &vector));
        }
    }
}

#[test]
fn no_vector_becomes_a_script_link() {
    // Every href that survives is one of the renderer's own forms.
    for vector in vectors() {
        let html = render_markdown(&vector).html;
        let Ok((starts, _)) = tokenize(&html) else {
            panic!("{html}");
        };
        for tag in starts {
            for (attribute, value) in tag.attributes {
                if attribute == "href" {
                    assert!(
                        value.starts_with("https://")
                            || value.starts_with("mailto:")
                            || value.starts_with("tel:")
                            || value.starts_with('#'),
                        "{vector:?} gave href {value:?}"
                    );
                }
            }
        }
    }
}

/// Deterministic fuzzing: random concatenations of Markdown syntax and pieces of
/// vectors, so that the vectors meet in combinations no list would think of.
#[test]
fn random_mixtures_render_safely() {
    const PIECES: &[&str] = &[
        "[",
        "]",
        "(",
        ")",
        "](",
        "<",
        ">",
        "\n",
        "\n\n",
        "# ",
        "## ",
        "*",
        "_",
        "`",
        "```",
        "|",
        "|---|\n",
        "[^a]",
        "[^a]: ",
        "![",
        "{#",
        "}",
        "{onclick=alert(1)}",
        "\\",
        "\"",
        "'",
        "=",
        "&",
        ";",
        "&#",
        "x",
        "j",
        "106",
        "&#106;",
        "&#x09;",
        "&colon;",
        "javascript:",
        "JaVaScRiPt:",
        "alert(1)",
        "data:",
        "https://",
        "http://",
        "//",
        "mailto:",
        "tel:",
        "guidance/acl-16-49",
        "#frag",
        "#/item/",
        "<a href=",
        "<img src=x ",
        "onerror=",
        "<svg",
        "<script>",
        "</script>",
        "<style>",
        "<math>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "\t",
        "\x01",
        "\0",
        " ",
        "- ",
        "> ",
        "1. ",
        "[r]: ",
        "[r]",
        "<https://example.org>",
        "<a@example.org>",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let all = vectors();
    for _ in 0..2000 {
        let mut markdown = String::new();
        let len = 1 + next() % 24;
        for _ in 0..len {
            let r = next();
            if r % 10 == 0 {
                let v = &all[(r / 10) as usize % all.len()];
                // Any piece of a vector, cut at char boundaries.
                let chars: Vec<char> = v.chars().collect();
                let a = (next() as usize) % (chars.len() + 1);
                let b = a + (next() as usize) % (chars.len() + 1 - a);
                markdown.extend(&chars[a..b]);
            } else {
                markdown.push_str(PIECES[(r as usize) % PIECES.len()]);
            }
        }
        assert_safe(&markdown);
    }
}

// ---------------------------------------------------------------------------------
// The checker must be able to fail.

#[test]
fn checker_rejects_known_bad_html() {
    for bad in [
        "<a href=\"javascript:alert(1)\">x</a>",
        "<img src=x onerror=alert(1)>",
        "<p><img src=x></p>",
        "<a href='JAVASCRIPT:alert(1)'>x</a>",
        "<A HREF=javascript:alert(1)>x</A>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"&#0000106&#0000097vascript:alert(1)\">x</a>",
        "<a href=\"&#x6A;avascript&#x3A;alert(1)\">x</a>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href=\"java&Tab;script:alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<a href=\" \x01javascript:alert(1)\">x</a>",
        "<a href=\"//evil.example/x\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<p style=\"color:red\">x</p>",
        "<p ONCLICK=\"x()\">x</p>",
        "<p/onclick=x()>x</p>",
        "<a href=\"https://example.org\" onmouseover=x>x</a>",
        "<SVG onload=x>",
        "<math><mi>x</mi></math>",
        "<span>x</span>",
        "<a href=\"https://example.org\" target=\"_blank\">x</a>",
        "<a href=\"https://example.org\" title=\"x\">x</a>",
        "<!-- x --><p>x</p>",
        "<p>1 < 2</p>",
        "<p title=\"unterminated>x</p>",
    ] {
        assert!(check(bad).is_err(), "checker accepted {bad:?}");
    }
}

#[test]
fn checker_accepts_what_the_renderer_is_meant_to_produce() {
    let markdown = "# Title\n\n## Año 2014\n\nSee [ACL 16-49](guidance/acl-16-49#summary), \
        [CDSS](https://www.cdss.ca.gov/?a=1&b=2), [mail](mailto:csec@example.org), \
        [call](tel:+1-916-555-0100) and [below](#notes)[^1].\n\n\
        | a | b |\n|:--|--:|\n| ~~x~~ | `y < z` |\n\n3. one\n4. two\n\n> quote\n\n```rust\nfn main() {}\n```\n\n\
        ---\n\n[^1]: A *note*.\n";
    let html = render_markdown(markdown).html;
    check(&html).unwrap_or_else(|why| panic!("{why}\n{html}"));
    for expected in [
        "<h2 id=\"ano-2014\">",
        "href=\"#/item/guidance/acl-16-49?h=summary\"",
        "href=\"https://www.cdss.ca.gov/?a=1&amp;b=2\" rel=\"noopener noreferrer\"",
        "href=\"mailto:csec@example.org\"",
        "href=\"tel:+1-916-555-0100\"",
        "href=\"#notes\"",
        "<ol start=\"3\">",
        "<code class=\"language-rust\">",
        "<sup class=\"footnote-reference\"><a href=\"#fn-1\"",
        "<div class=\"footnote-definition\" id=\"fn-1\">",
    ] {
        assert!(html.contains(expected), "missing {expected}\n{html}");
    }
}
