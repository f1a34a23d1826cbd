//! PNG chunks for baked badges: walking the chunks with their CRCs, reading the `openbadgecredential` (OB 3.0) and `openbadges` (OB 2.0) text chunks, and writing an iTXt chunk before IEND.
//!
//! Baking needs only the chunk layer of PNG (length, type, data, CRC), not
//! the image: a walker over the bytes is about a hundred lines, while the
//! `png` crate brings a decoder, filters and its own inflate for pixels the
//! verifier never looks at, and its encoder cannot copy the other chunks of
//! an image unchanged. CRCs come from `crc32fast`, text decompression from
//! `flate2`.

use std::io::Read;

/// The eight bytes every PNG starts with.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// The OB 3.0 baking keyword.
pub const OB3_KEYWORD: &str = "openbadgecredential";
/// The OB 2.0 baking keyword.
pub const OB2_KEYWORD: &str = "openbadges";

/// One chunk, borrowed from the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// The four-letter type.
    pub kind: [u8; 4],
    /// The data.
    pub data: &'a [u8],
    /// Where the chunk starts (its length field) in the file.
    pub start: usize,
    /// Where the next chunk starts.
    pub end: usize,
}

/// Why bytes are not a PNG this module can read.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PngError {
    /// No PNG signature.
    #[error("not a PNG")]
    NotPng,
    /// A chunk runs past the end of the file.
    #[error("a chunk is cut short")]
    Truncated,
    /// A chunk's CRC does not match: the file is damaged.
    #[error("chunk {0} is damaged (CRC)")]
    Crc(String),
    /// No IEND chunk.
    #[error("no IEND chunk")]
    NoEnd,
}

/// Every chunk up to and including IEND, with CRCs checked.
pub fn chunks(bytes: &[u8]) -> Result<Vec<Chunk<'_>>, PngError> {
    if !bytes.starts_with(&SIGNATURE) {
        return Err(PngError::NotPng);
    }
    let mut at = SIGNATURE.len();
    let mut out = Vec::new();
    loop {
        let header = bytes.get(at..at + 8).ok_or(PngError::Truncated)?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = [header[4], header[5], header[6], header[7]];
        let data_end = (at + 8).checked_add(len).ok_or(PngError::Truncated)?;
        let data = bytes.get(at + 8..data_end).ok_or(PngError::Truncated)?;
        let crc = bytes
            .get(data_end..data_end + 4)
            .ok_or(PngError::Truncated)?;
        if crc32(&kind, data).to_be_bytes() != crc {
            return Err(PngError::Crc(String::from_utf8_lossy(&kind).into_owned()));
        }
        let end = data_end + 4;
        out.push(Chunk {
            kind,
            data,
            start: at,
            end,
        });
        if &kind == b"IEND" {
            return Ok(out);
        }
        at = end;
        if at >= bytes.len() {
            return Err(PngError::NoEnd);
        }
    }
}

/// The CRC of a chunk: over its type and data.
pub fn crc32(kind: &[u8; 4], data: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(kind);
    h.update(data);
    h.finalize()
}

/// A chunk's bytes (length, type, data, CRC).
pub fn encode_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(kind, data).to_be_bytes());
    out
}

/// An uncompressed iTXt chunk's data for `keyword` and `text`.
pub fn itxt(keyword: &str, text: &str) -> Vec<u8> {
    let mut data = Vec::with_capacity(keyword.len() + text.len() + 5);
    data.extend_from_slice(keyword.as_bytes());
    // The null after the keyword, no compression (flag and method), an
    // empty language tag and an empty translated keyword.
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    data.extend_from_slice(text.as_bytes());
    data
}

/// The keyword and text of a text chunk (iTXt, tEXt or zTXt), or `None`
/// for any other chunk or a malformed one.
pub fn text_chunk(chunk: &Chunk<'_>) -> Option<(String, String)> {
    let data = chunk.data;
    let nul = data.iter().position(|&b| b == 0)?;
    let keyword = String::from_utf8_lossy(&data[..nul]).into_owned();
    let rest = &data[nul + 1..];
    let text = match &chunk.kind {
        b"tEXt" => latin1(rest),
        b"zTXt" => latin1(&inflate(rest.get(1..)?)?),
        b"iTXt" => {
            let (&flag, rest) = rest.split_first()?;
            let rest = rest.get(1..)?;
            let lang_end = rest.iter().position(|&b| b == 0)?;
            let rest = &rest[lang_end + 1..];
            let tk_end = rest.iter().position(|&b| b == 0)?;
            let body = &rest[tk_end + 1..];
            let body = if flag == 1 {
                inflate(body)?
            } else {
                body.to_vec()
            };
            String::from_utf8(body).ok()?
        }
        _ => return None,
    };
    Some((keyword, text))
}

/// The text baked under `keyword`, if any.
pub fn baked(bytes: &[u8], keyword: &str) -> Result<Option<String>, PngError> {
    Ok(chunks(bytes)?
        .iter()
        .filter_map(text_chunk)
        .find(|(k, _)| k == keyword)
        .map(|(_, t)| t))
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Inflates zlib data, at most 16 MB of it, so a small zip bomb in a text
/// chunk cannot take the worker's memory.
fn inflate(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes)
        .take(16 << 20)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The smallest valid PNG: a 1×1 grey image.
    pub(crate) fn tiny_png() -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend(encode_chunk(
            b"IHDR",
            &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0],
        ));
        // A zlib stream of the one scanline (filter byte, one pixel).
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, &[0, 0x80]).unwrap();
        out.extend(encode_chunk(b"IDAT", &z.finish().unwrap()));
        out.extend(encode_chunk(b"IEND", &[]));
        out
    }

    fn with_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let png = tiny_png();
        let iend = png.len() - 12;
        let mut out = png[..iend].to_vec();
        out.extend(encode_chunk(kind, data));
        out.extend_from_slice(&png[iend..]);
        out
    }

    fn check(bytes: &[u8], keyword: &str, expected: Result<Option<&str>, PngError>) {
        assert_eq!(
            baked(bytes, keyword),
            expected.map(|o| o.map(str::to_owned))
        );
    }

    #[test]
    fn text_chunks_of_each_kind_are_read() {
        check(&tiny_png(), OB3_KEYWORD, Ok(None));
        check(
            &with_chunk(b"iTXt", &itxt(OB3_KEYWORD, "{\"a\":1}")),
            OB3_KEYWORD,
            Ok(Some("{\"a\":1}")),
        );
        check(
            &with_chunk(b"tEXt", b"openbadges\0https://x"),
            OB2_KEYWORD,
            Ok(Some("https://x")),
        );
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, "ääk".as_bytes()).unwrap();
        let mut data = b"openbadgecredential\0\x01\x00fi\0\0".to_vec();
        data.extend(z.finish().unwrap());
        check(&with_chunk(b"iTXt", &data), OB3_KEYWORD, Ok(Some("ääk")));
    }

    #[test]
    fn damaged_files_are_refused() {
        let good = with_chunk(b"iTXt", &itxt(OB3_KEYWORD, "x"));
        let mut bad_crc = good.clone();
        let n = bad_crc.len();
        bad_crc[n - 20] ^= 1;
        check(&bad_crc, OB3_KEYWORD, Err(PngError::Crc("iTXt".into())));
        check(&good[..good.len() - 12], OB3_KEYWORD, Err(PngError::NoEnd));
        check(
            &good[..good.len() - 3],
            OB3_KEYWORD,
            Err(PngError::Truncated),
        );
        check(b"GIF89a", OB3_KEYWORD, Err(PngError::NotPng));
    }
}
