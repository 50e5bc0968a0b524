export { hypervolume } from './hypervolume.js';
export { igd, igdPlus, gd } from './distance.js';
export { spread } from './spread.js';
export { kneePoint } from './knee.js';
