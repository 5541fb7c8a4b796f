/**
 * Chart colours from VS Code's theme variables. Canvas drawing cannot use `var(...)`, so the
 * values are read with getComputedStyle, and read again when VS Code switches theme (it rewrites
 * the variables on <html> and the theme class on <body>).
 */
const SERIES_VARIABLES = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
] as const;
const SERIES_FALLBACKS = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'] as const;

export interface ChartTheme {
  readonly foreground: string;
  readonly grid: string;
  readonly font: string;
  readonly series: readonly string[];
}

/** uPlot axis options in the theme's colours, shared by every chart of the panel. */
export function axisStyle(theme: ChartTheme): {
  stroke: string;
  font: string;
  labelFont: string;
  grid: { stroke: string; width: number };
  ticks: { stroke: string; width: number };
} {
  return { stroke: theme.foreground, font: theme.font, labelFont: theme.font, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
}

function readVariable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** `#rrggbb` or `#rgb` with an alpha; other colour syntaxes are returned as they are. */
export function withAlpha(color: string, alpha: number): string {
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color);
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  const hex = long ? [long[1], long[2], long[3]] : short ? [short[1], short[2], short[3]].map((h) => `${h}${h}`) : undefined;
  if (!hex) return color;
  const [r, g, b] = hex.map((h) => parseInt(h ?? '0', 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const foreground = readVariable(style, '--vscode-descriptionForeground', readVariable(style, '--vscode-foreground', '#cccccc'));
  const family = readVariable(style, '--vscode-font-family', 'system-ui, sans-serif');
  return {
    foreground,
    grid: withAlpha(foreground, 0.15),
    font: `11px ${family}`,
    series: SERIES_VARIABLES.map((name, i) => readVariable(style, name, SERIES_FALLBACKS[i] ?? '#3794ff')),
  };
}

export function onThemeChange(listener: () => void): void {
  const observer = new MutationObserver(listener);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
