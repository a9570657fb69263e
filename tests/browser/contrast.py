"""Colour maths for browser tests that measure contrast (WCAG 2).

`COLOUR_MATHS` is JavaScript to paste at the top of a function that
Playwright evaluates; it defines:

- ``rgba(colour)``: ``[r, g, b, a]`` from a computed CSS colour (``rgb()`` or
  ``rgba()``), channels 0-255, alpha 0-1;
- ``over(top, bottom)``: ``[r, g, b]`` of ``top`` composited over the opaque
  ``bottom``, as the browser paints it;
- ``contrast(p, q)``: the contrast ratio of two opaque colours, 1 to 21.
"""

COLOUR_MATHS = r"""
    const rgba = colour => {
        const [r, g, b, a = 1] = colour.match(/[\d.]+/g).map(Number);
        return [r, g, b, a];
    };
    const over = ([r, g, b, a], [R, G, B]) =>
        [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];
    const luminance = rgb => {
        const [r, g, b] = rgb.map(value => {
            const v = value / 255;
            return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (p, q) => {
        const [high, low] = [luminance(p), luminance(q)].sort((x, y) => y - x);
        return (high + 0.05) / (low + 0.05);
    };
"""
