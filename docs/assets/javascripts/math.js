/*
 * math.js: what the browser still does for formulas.
 *
 * hooks/math.py typesets every formula of the site's pages at build time, so
 * a page from `mkdocs build` has nothing left to typeset and this script
 * loads nothing. Two cases remain:
 *
 * - mkdocs-jupyter 0.27 hands notebook pages to MathJax, which it would fetch
 *   from a CDN unless window.MathJax already offers typesetPromise. The
 *   stand-in below answers those calls, so no page leaves the site.
 * - Math still in TeX (a page built without the hook, or notebook output
 *   added in the browser) is typeset with the site's own KaTeX, which is
 *   loaded only when such math exists, into MathML as the build does. A
 *   formula KaTeX cannot parse stays as its TeX source, in ERROR_COLOUR,
 *   inside a .katex-error element. Symbols that no page of the build drew
 *   are missing from the site's cut of the math font: the browser takes
 *   them from the system's math font.
 *
 * After typesetting it fires `ua:typeset`, so that accessibility.js can find
 * the formulas too wide for the column.
 */
(() => {
  "use strict";

  const ERROR_COLOUR = "#d32f2f";

  // KaTeX sits beside this script's folder: assets/vendor/katex/.
  const KATEX_URL = new URL(
    "../vendor/katex/katex.min.js",
    (document.currentScript && document.currentScript.src) || location.href,
  ).href;

  let katexLoading = null;

  function loadKatex() {
    if (window.katex) {
      return Promise.resolve(window.katex);
    }
    if (!katexLoading) {
      katexLoading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = KATEX_URL;
        script.onload = () => resolve(window.katex);
        script.onerror = () => reject(new Error(`cannot load ${KATEX_URL}`));
        document.head.appendChild(script);
      });
    }
    return katexLoading;
  }

  // arithmatex writes \(...\) in a span and \[...\] (or an environment) in a div.
  function texOf(formula) {
    const text = formula.textContent.trim();
    const [left, right] = formula.tagName === "DIV" ? ["\\[", "\\]"] : ["\\(", "\\)"];
    if (text.startsWith(left) && text.endsWith(right)) {
      return text.slice(left.length, text.length - right.length);
    }
    return text;
  }

  function untypeset(root) {
    const formulas = [...root.querySelectorAll(".arithmatex")];
    if (root.matches && root.matches(".arithmatex")) {
      formulas.push(root);
    }
    return formulas.filter((formula) => !formula.querySelector(".katex, .katex-error"));
  }

  async function typesetIn(root) {
    const formulas = untypeset(root);
    if (!formulas.length) {
      return;
    }
    const katex = await loadKatex();
    for (const formula of formulas) {
      katex.render(texOf(formula), formula, {
        displayMode: formula.tagName === "DIV",
        output: "mathml",
        throwOnError: false,
        errorColor: ERROR_COLOUR,
      });
    }
    document.dispatchEvent(new CustomEvent("ua:typeset"));
  }

  if (!window.MathJax) {
    window.MathJax = {
      startup: { promise: Promise.resolve() },
      typesetPromise(roots) {
        return Promise.all((roots || [document]).map(typesetIn));
      },
      typesetClear() {},
      texReset() {},
    };
  }

  const typesetPage = () =>
    typesetIn(document).catch((error) => console.error("math.js:", error));
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(typesetPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typesetPage, { once: true });
  } else {
    typesetPage();
  }
})();
