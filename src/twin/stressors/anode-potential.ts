/**
 * Graphite anode potential vs Li/Li+ as a function of cell SOC: Safari & Delacourt, J.
 * Electrochem. Soc. 158(5) A562 (2011), doi:10.1149/1.3567007, with the lithiation map
 * x = 0.0085 + SOC·(0.78 − 0.0085) that BLAST-Lite uses for every graphite cell (after Schimpe et
 * al., J. Electrochem. Soc. 165 (2018) A181). Valid 0 ≤ SOC ≤ 1; an approximation for any one cell.
 */
export function anodePotentialV(soc: number): number {
  const x = 8.5e-3 + soc * (0.78 - 8.5e-3);
  return (
    0.6379 +
    0.5416 * Math.exp(-305.5309 * x) +
    0.044 * Math.tanh(-(x - 0.1958) / 0.1088) -
    0.1978 * Math.tanh((x - 1.0571) / 0.0854) -
    0.6875 * Math.tanh((x + 0.0117) / 0.0529) -
    0.0175 * Math.tanh((x - 0.5692) / 0.0875)
  );
}
