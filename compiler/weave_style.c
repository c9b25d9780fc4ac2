/*
** weave_style.c: the inline style sheet and script every woven page
** carries (no external resource at all, and a Content-Security-Policy
** that forbids any), with a font stack that falls back to CJK fonts, a
** layout that fits a phone (code wraps inside its box, wide tables scroll
** inside theirs) and a print style sheet (no navigation or form; a rule
** is not split across pages where avoidable).
*/
#include "weave_impl.h"

#include <string.h>

static const char css[] =
	":root{--fg:#1b1b1b;--muted:#57606a;--line:#d0d7de;--code:#f6f8fa;--accent:#0b5cad}\n"
	"html{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
	"\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;"
	"line-height:1.55;color:var(--fg);background:#fff;-webkit-text-size-adjust:100%}\n"
	"[lang=zh]{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif}\n"
	"body{margin:0;overflow-wrap:break-word}\n"
	"main{max-width:62rem;margin:0 auto;padding:0 1rem 4rem}\n"
	".lr-nav{position:sticky;top:0;z-index:2;background:var(--code);border-bottom:1px solid var(--line);"
	"padding:.45rem 1rem;overflow-x:auto;white-space:nowrap}\n"
	".lr-nav a{margin-right:.9rem}\n"
	"a{color:var(--accent)}\n"
	"pre,code{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,\"Noto Sans Mono CJK SC\",monospace}\n"
	"pre{white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%;box-sizing:border-box}\n"
	".lr-summary-rules td:first-child{white-space:nowrap}\n"
	".lr-code{background:var(--code);border:1px solid var(--line);border-radius:4px;padding:.6rem .75rem;"
	"font-size:.85rem;margin:.5rem 0}\n"
	".lr-gap{color:var(--muted)}\n"
	".lr-kw{color:#8250df;font-weight:600}.lr-str{color:#0a3069}.lr-com{color:#6e7781;font-style:italic}"
	".lr-num{color:#0550ae}\n"
	"a.lr-ref{color:inherit;text-decoration:underline dotted}\n"
	".lr-rule{border-left:4px solid var(--accent);padding-left:.8rem;margin:1.6rem 0}\n"
	".lr-rule-head{margin:.2rem 0;font-size:1.05rem}.lr-rule-id{font-family:ui-monospace,monospace;"
	"background:var(--accent);color:#fff;border-radius:3px;padding:0 .35rem;margin-right:.3rem}\n"
	".lr-evidence{font-size:.92rem}.lr-evidence h4{margin:.7rem 0 .2rem;font-size:.9rem;color:var(--muted)}\n"
	".lr-evidence ul{margin:.2rem 0;padding-left:1.3rem}\n"
	".lr-example[data-status=pass] .lr-status{color:#1a7f37;font-weight:600}"
	".lr-example[data-status=fail] .lr-status{color:#cf222e;font-weight:700}\n"
	".lr-finding.lr-error{color:#cf222e}.lr-none,.lr-change{color:var(--muted)}\n"
	".lr-nostore{color:var(--muted);font-style:italic}.lr-refused{color:#9a6700}\n"
	"table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid var(--line);padding:.25rem .5rem;"
	"vertical-align:top;text-align:left}\n"
	".lr-scroll{overflow-x:auto;max-width:100%}\n"
	".lr-prose table{display:block;overflow-x:auto;max-width:100%}\n"
	"img{max-width:100%}\n"
	"#lr-identity{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1rem 1rem}"
	"#lr-identity dd{margin:0;min-width:0;overflow-wrap:anywhere}\n"
	".lr-text{background:#fff;border:1px solid var(--line);padding:.75rem}\n"
	"mark.lr-passage{background:#fff3a3;outline:1px solid #d4a72c}\n"
	":target{scroll-margin-top:3rem}mark.lr-passage:target{background:#ffd33d}\n"
	".lr-try-field{margin:.4rem 0}.lr-try-field label{display:block;font-size:.9rem}"
	".lr-try-desc{color:var(--muted)}\n"
	"#lr-try-out{background:var(--code);border:1px solid var(--line);padding:.6rem}\n"
	".lr-file-name{color:var(--muted);font-family:ui-monospace,monospace;font-size:.85rem;"
	"border-top:1px solid var(--line);padding-top:.5rem}\n"
	"@media print{.lr-nav,#lr-try-section{display:none}.lr-rule{break-inside:avoid;page-break-inside:avoid}"
	"main{max-width:none;padding:0}a{color:inherit;text-decoration:none}"
	".lr-code{border:0;background:none;padding:0}}\n";

/* Reads the form into a record; a yes/no box cycles missing -> yes -> no.
 * The last two statements tell a test browser that the script ran. */
static const char js[] =
	"(function(){\n"
	"var f=document.getElementById('lr-try'),out=document.getElementById('lr-try-out');\n"
	"if(!f||!out)return;\n"
	"function record(){var o={},els=f.querySelectorAll('[data-type]');\n"
	" for(var i=0;i<els.length;i++){var e=els[i],t=e.getAttribute('data-type');\n"
	"  if(t==='bool'){var s=e.getAttribute('data-state');if(s==='true')o[e.name]=true;"
	"else if(s==='false')o[e.name]=false;}\n"
	"  else if(e.value!=='')o[e.name]=e.value;}\n"
	" out.textContent=JSON.stringify(o,null,2);}\n"
	"function show(e){var s=e.getAttribute('data-state');e.indeterminate=s==='missing';e.checked=s==='true';\n"
	" var l=e.nextElementSibling;if(l)l.textContent=s==='missing'?'missing':s==='true'?'yes':'no';}\n"
	"var boxes=f.querySelectorAll('[data-type=bool]');\n"
	"for(var i=0;i<boxes.length;i++){show(boxes[i]);boxes[i].addEventListener('click',function(ev){\n"
	" var e=ev.target,s=e.getAttribute('data-state');\n"
	" e.setAttribute('data-state',s==='missing'?'true':s==='true'?'false':'missing');show(e);record();});}\n"
	"f.addEventListener('input',record);f.addEventListener('change',record);\n"
	"f.addEventListener('reset',function(){setTimeout(function(){for(var i=0;i<boxes.length;i++){"
	"boxes[i].setAttribute('data-state','missing');show(boxes[i]);}record();},0);});\n"
	"var copy=document.getElementById('lr-try-copy'),said=document.getElementById('lr-try-copied');\n"
	"if(copy)copy.addEventListener('click',function(){var t=out.textContent;\n"
	" function done(ok){if(said)said.textContent=ok?'copied':'select the record and copy it';}\n"
	" try{if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(t).then("
	"function(){done(1);},function(){done(0);});return;}\n"
	"  var r=document.createRange();r.selectNodeContents(out);var sel=window.getSelection();"
	"sel.removeAllRanges();sel.addRange(r);done(document.execCommand('copy'));}catch(x){done(0);}});\n"
	"record();\n"
	"})();\n"
	"document.documentElement.dataset.lrHeight=String(document.documentElement.scrollHeight);\n"
	"document.documentElement.dataset.lrReady=\"1\";\n";

void wv_head(wv_buf *b, const char *title, const char *root)
{
	(void)root;
	wv_put(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		  "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
		  "<meta name=\"generator\" content=\"litrule weave\">\n<link rel=\"icon\" href=\"data:,\">\n<title>");
	wv_esc(b, title, strlen(title));
	wv_put(b, "</title>\n<style>\n");
	wv_put(b, css);
	wv_put(b, "</style>\n</head>\n");
}

void wv_script(wv_buf *b)
{
	wv_put(b, "<script>\n");
	wv_put(b, js);
	wv_put(b, "</script>\n");
}
