//! `csec serve --lan`: tells the room how to reach this laptop. It prints every
//! address a phone on the same network could use, a QR code of the first (in the
//! terminal, and as a PNG next to the bundle, to project or send), and the
//! fingerprint of the key that signed the bundle, which the app's About screen shows
//! for the publisher's key: if the two differ, the app will refuse the copy anyway.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use qrcode::{Color, QrCode};

/// Pixels per QR module in the PNG, and the quiet zone around it in modules.
const PNG_SCALE: usize = 8;
const QUIET_ZONE: usize = 4;

pub fn announce(dir: &Path, local: SocketAddr) -> Result<()> {
    let addresses = phone_addresses(local);
    let first = &addresses[0];
    // The first line keeps the form of plain `csec serve`, for scripts.
    println!("serving {} at {first}", dir.display());
    println!("Phones on this network can update from (Settings > Update from a nearby device):");
    for address in &addresses {
        println!("  {address}");
    }
    let code = QrCode::new(first.as_bytes()).context("could not make a QR code of the address")?;
    let png = png_path(dir);
    write_png(&code, &png)?;
    println!("QR code of {first} (also saved as {}):", png.display());
    println!("{}", terminal_qr(&code));
    match signer_fingerprints(dir) {
        Some(prints) if !prints.is_empty() => println!(
            "Signed by the publisher key {}: the app's About screen shows the same.",
            prints.join(", ")
        ),
        _ => println!("The bundle's signature could not be read: run `csec verify` on it."),
    }
    Ok(())
}

/// `http://IP:PORT/` for each address of this machine a phone could reach: private
/// IPv4 networks first (the room's Wi-Fi), then other IPv4 addresses; this machine's
/// own address when there is no network at all.
fn phone_addresses(local: SocketAddr) -> Vec<String> {
    let port = local.port();
    let mut ips: Vec<IpAddr> = if local.ip().is_unspecified() {
        if_addrs::get_if_addrs()
            .unwrap_or_default()
            .into_iter()
            .map(|interface| interface.ip())
            .filter(|ip| ip.is_ipv4() && !ip.is_loopback())
            .collect()
    } else {
        vec![local.ip()]
    };
    ips.sort_by_key(|ip| match ip {
        IpAddr::V4(v4) if v4.is_private() => 0,
        IpAddr::V4(v4) if v4.is_link_local() => 1,
        _ => 2,
    });
    ips.dedup();
    if ips.is_empty() {
        ips.push(IpAddr::from([127, 0, 0, 1]));
    }
    ips.iter()
        .map(|ip| match ip {
            IpAddr::V4(v4) => format!("http://{v4}:{port}/"),
            IpAddr::V6(v6) => format!("http://[{v6}]:{port}/"),
        })
        .collect()
}

/// `DIR-address.png` beside the bundle directory (not in it: it is no part of the
/// bundle).
fn png_path(dir: &Path) -> PathBuf {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let name = dir
        .file_name()
        .map_or_else(|| "bundle".into(), |n| n.to_string_lossy().into_owned());
    dir.with_file_name(format!("{name}-address.png"))
}

/// Dark modules as dark pixels, with the quiet zone scanners need.
fn write_png(code: &QrCode, path: &Path) -> Result<()> {
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * PNG_SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
            for y in my * PNG_SCALE..(my + 1) * PNG_SCALE {
                pixels[y * side + mx * PNG_SCALE..y * side + (mx + 1) * PNG_SCALE].fill(0);
            }
        }
    }
    let file = std::fs::File::create(path)
        .with_context(|| format!("could not write {}", path.display()))?;
    let size = u32::try_from(side).context("the QR code is too large")?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), size, size);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&pixels))
        .with_context(|| format!("could not write {}", path.display()))?;
    Ok(())
}

/// Two modules per character cell, light modules drawn in the terminal's text
/// colour, as `qrencode -t UTF8` does: on the usual light-on-dark terminal the code
/// reads dark on light.
pub fn terminal_qr(code: &QrCode) -> String {
    let modules = code.width();
    let colors = code.to_colors();
    let side = modules + 2 * QUIET_ZONE;
    let light = |x: usize, y: usize| {
        let inside = (QUIET_ZONE..QUIET_ZONE + modules).contains(&x)
            && (QUIET_ZONE..QUIET_ZONE + modules).contains(&y);
        !inside || colors[(y - QUIET_ZONE) * modules + (x - QUIET_ZONE)] == Color::Light
    };
    let mut text = String::new();
    for y in (0..side).step_by(2) {
        for x in 0..side {
            let top = light(x, y);
            let bottom = y + 1 >= side || light(x, y + 1);
            text.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        text.push('\n');
    }
    text
}

/// The fingerprints of the keys that signed `DIR/manifest.json`, as the app shows its
/// own: the first 16 hex digits of the key id, in groups of four.
fn signer_fingerprints(dir: &Path) -> Option<Vec<String>> {
    let bytes = std::fs::read(dir.join(csec_bundle::MANIFEST_FILE)).ok()?;
    let envelope: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let signatures = envelope.get("signatures")?.as_array()?;
    Some(
        signatures
            .iter()
            .filter_map(|s| s.get("keyid")?.as_str())
            .map(csec_bundle::fingerprint)
            .collect(),
    )
}
