import { describe, expect, it } from 'vitest';
import { captureFacts, isolated, pixelsOf, ordered, previewKind, redactedName, sizeParts, typeKey } from '../src/lib/evidence';
import type { EvidenceView } from '../src/bindings/EvidenceView';

function item(id: string, parentId: string | null = null): EvidenceView {
  return {
    id,
    recordId: 'r',
    originalName: id,
    size: 1,
    sha256: '0'.repeat(64),
    mediaType: 'image/png',
    hasLocation: false,
    hasDeviceInfo: false,
    acquiredAt: null,
    acquiredBy: null,
    source: null,
    addedAt: '2026-01-01T00:00:00Z',
    parentId,
    parentSha256: parentId ? '1'.repeat(64) : null,
    capture: null,
  };
}

describe('evidence list', () => {
  it('puts every working copy right under the item it was made from', () => {
    const rows = ordered([item('a'), item('b'), item('a1', 'a'), item('b1', 'b'), item('a1x', 'a1'), item('orphan', 'gone')]);
    expect(rows.map((r) => `${r.item.id}:${r.depth}`)).toEqual(['a:0', 'a1:1', 'a1x:2', 'b:0', 'b1:1', 'orphan:0']);
  });

  it('previews only the types the window can show, by content type, never by name', () => {
    expect(previewKind('image/jpeg')).toBe('image');
    expect(previewKind('image/heic')).toBe('none');
    expect(previewKind('application/pdf')).toBe('pdf');
    expect(previewKind('text/plain')).toBe('text');
    expect(previewKind('video/mp4')).toBe('video');
    expect(previewKind('audio/ogg')).toBe('audio');
    expect(previewKind('application/octet-stream')).toBe('none');
    expect(typeKey('image/heic')).toBe('evidence.type.image');
    expect(typeKey('application/zip')).toBe('evidence.type.archive');
  });

  it('says sizes in the unit that fits', () => {
    expect(sizeParts(0, 'en')).toEqual({ key: 'evidence.size.b', value: '0' });
    expect(sizeParts(1536, 'en')).toEqual({ key: 'evidence.size.kb', value: '1.5' });
    expect(sizeParts(5 * 1024 ** 3, 'en').key).toBe('evidence.size.gb');
    expect(sizeParts(300 * 1024 ** 2, 'en')).toEqual({ key: 'evidence.size.mb', value: '300' });
  });

  it('names a redacted copy after its original, as a PNG', () => {
    expect(redactedName('photo.jpeg')).toBe('photo-redacted.png');
    expect(redactedName('تصویر.jpg')).toBe('تصویر-redacted.png');
    expect(redactedName(null)).toBe('evidence-redacted.png');
    expect(redactedName('archive.tar.gz')).toBe('archive.tar-redacted.png');
  });

  it('isolates a name inside a plain-text sentence', () => {
    const name = '\u202egpj.exe';
    expect(isolated(name)).toBe(`\u2068${name}\u2069`);
  });
});

describe('capture facts', () => {
  it('shows what the file states, and nothing when it states nothing', () => {
    expect(captureFacts(null)).toEqual({ camera: null, takenAt: null, position: null, altitude: null });
    const none = { cameraMake: null, cameraModel: null, takenAt: null, latitude: null, longitude: null, altitude: null };
    expect(captureFacts(none)).toEqual({ camera: null, takenAt: null, position: null, altitude: null });
    expect(
      captureFacts({ ...none, cameraMake: 'Xiaomi', cameraModel: 'Redmi Note 9', takenAt: '2024-03-05T14:30:09+05:00', latitude: '24.860700', longitude: '67.001000', altitude: '8.0' }),
    ).toEqual({ camera: 'Xiaomi Redmi Note 9', takenAt: '2024-03-05 14:30:09 +05:00', position: '24.860700, 67.001000', altitude: '8.0' });
    // A model alone is a camera; a latitude without a longitude places nothing, nor does an altitude alone.
    expect(captureFacts({ ...none, cameraModel: 'SM-A515F', latitude: '24.8', altitude: '3.0' })).toEqual({
      camera: 'SM-A515F',
      takenAt: null,
      position: null,
      altitude: null,
    });
    expect(captureFacts({ ...none, takenAt: '2024-03-05T14:30:09' }).takenAt).toBe('2024-03-05 14:30:09');
  });
});

describe('thumbnail pixels', () => {
  it('takes exactly width x height x 4 bytes and refuses anything else', () => {
    const two = btoa(String.fromCharCode(255, 0, 0, 255, 0, 0, 255, 255));
    expect(Array.from(pixelsOf(two, 2, 1) ?? [])).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
    expect(pixelsOf(two, 1, 1)).toBeNull();
    expect(pixelsOf(two, 0, 2)).toBeNull();
    expect(pixelsOf('not base64!', 1, 1)).toBeNull();
  });
});
