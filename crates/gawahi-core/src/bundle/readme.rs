//! `README.txt`: how to check a bundle with stock tools, in English and Urdu.

/// The README's text, naming the signer's fingerprint.
pub(crate) fn text(fingerprint: &str) -> String {
    format!(
        "GAWAHI SEALED BUNDLE
====================

This folder came out of a Gawahi bundle. It was signed by the vault whose fingerprint is:

    {fingerprint}

Ask the sender to read their fingerprint to you over the phone (`gawahi identity` shows it) and
compare it digit by digit. The same signature can be checked without Gawahi:

1. Decrypt and unpack (Linux, macOS; on Windows use age.exe and tar.exe, which ships with
   Windows 10 and later):

       age -d -i key.txt case.gawahi | tar -x

   (with a passphrase instead of a key: age -d case.gawahi > case.tar, then tar -xf case.tar)

2. Check every file against its SHA-256:

       sha256sum -c SHA256SUMS                  (Linux)
       shasum -a 256 -c SHA256SUMS              (macOS)
       Get-FileHash -Algorithm SHA256 FILE      (Windows PowerShell, one file at a time)

3. Check the signature over manifest.json (which lists every file's SHA-256), either with
   OpenSSH (Linux, macOS, Windows 10 and later):

       ssh-keygen -Y verify -f allowed_signers -I gawahi -n gawahi-bundle -s manifest.json.sig < manifest.json

   or with OpenSSL 3:

       openssl pkeyutl -verify -rawin -pubin -inkey signer.pem -sigfile manifest.json.ed25519 -in manifest.json

   allowed_signers and signer.pem come with the bundle, so a signature alone proves only that
   the files were not changed after signing. Who signed is proved by the fingerprint above
   matching the one the sender reads to you, or by `gawahi bundle verify --signer`.

manifest.json lists the records, the evidence files (their original names, SHA-256, sizes and
metadata) and each file's chain-of-custody log; records.csv and custody.csv hold the same for a
spreadsheet. The evidence files are in evidence/, named by item id; their original names are in
manifest.json. The files are exactly as they were taken in (unless manifest.json says
\"carries\": \"working_copies\").


گواہی — مہر بند بنڈل
====================

یہ فولڈر گواہی کے ایک بنڈل سے نکلا ہے۔ اس پر اس والٹ کے دستخط ہیں جس کا فنگر پرنٹ یہ ہے:

    \u{2066}{fingerprint}\u{2069}

بھیجنے والے سے کہیں کہ فون پر اپنا فنگر پرنٹ پڑھ کر سنائیں (\u{2066}gawahi identity\u{2069} اسے دکھاتا ہے) اور
ایک ایک ہندسہ ملائیں۔ یہی دستخط گواہی کے بغیر بھی جانچے جا سکتے ہیں:

۱۔ کھولیں (لینکس، میک؛ ونڈوز پر \u{2066}age.exe\u{2069} اور \u{2066}tar.exe\u{2069} استعمال کریں جو ونڈوز ۱۰ اور بعد کے ساتھ آتا ہے):

       age -d -i key.txt case.gawahi | tar -x

۲۔ ہر فائل کا \u{2066}SHA-256\u{2069} جانچیں:

       sha256sum -c SHA256SUMS                  (Linux)
       shasum -a 256 -c SHA256SUMS              (macOS)
       Get-FileHash -Algorithm SHA256 FILE      (Windows PowerShell)

۳۔ \u{2066}manifest.json\u{2069} پر دستخط جانچیں (اس میں ہر فائل کا \u{2066}SHA-256\u{2069} درج ہے):

       ssh-keygen -Y verify -f allowed_signers -I gawahi -n gawahi-bundle -s manifest.json.sig < manifest.json

   یا \u{2066}OpenSSL 3\u{2069} سے:

       openssl pkeyutl -verify -rawin -pubin -inkey signer.pem -sigfile manifest.json.ed25519 -in manifest.json

   \u{2066}allowed_signers\u{2069} اور \u{2066}signer.pem\u{2069} بنڈل ہی کے ساتھ آتے ہیں، اس لیے دستخط صرف یہ ثابت کرتے ہیں کہ
   دستخط کے بعد فائلیں نہیں بدلیں۔ دستخط کس نے کیے، یہ اوپر والے فنگر پرنٹ کے بھیجنے والے کے بتائے ہوئے
   فنگر پرنٹ سے ملنے سے ثابت ہوتا ہے، یا \u{2066}gawahi bundle verify --signer\u{2069} سے۔

\u{2066}manifest.json\u{2069} میں ریکارڈ، ثبوت کی فائلیں (ان کے اصل نام، \u{2066}SHA-256\u{2069}، سائز اور تفصیلات) اور ہر فائل کی
تحویل کا ریکارڈ درج ہے؛ \u{2066}records.csv\u{2069} اور \u{2066}custody.csv\u{2069} میں یہی اسپریڈشیٹ کے لیے ہے۔ ثبوت کی فائلیں
\u{2066}evidence/\u{2069} میں ہیں۔ فائلیں بالکل ویسی ہیں جیسی لی گئی تھیں (جب تک \u{2066}manifest.json\u{2069} میں
\u{2066}\"carries\": \"working_copies\"\u{2069} نہ لکھا ہو)۔
"
    )
}
