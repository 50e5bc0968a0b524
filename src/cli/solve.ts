/**
 * `relife solve --problem zdt1 --population 100 --generations 250 --seed 1 [--algorithm nsga2|nsga3]
 * [--directions das-dennis|energy] [--partitions H | --count N] [--workers N] --out FRONT.json` runs NSGA-II or NSGA-III on a benchmark problem
 * and writes the final non-dominated set as
 * `{ problem, algorithm, frontSelection, objectives, variables, evaluations, seconds, hypervolume }`.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const USAGE = `usage: relife solve --problem NAME [--algorithm nsga2|nsga3] [--directions das-dennis|energy]
                   [--partitions H | --count N] [--population N]
                   [--generations G] [--evaluations E] [--seconds S] [--seed K] [--workers W] [--nvar V]
                   [--reference r1,r2,...] [--front population|hypervolume] [--archive N]
                   [--quiet] [--out FRONT.json]

  --problem      zdt1 | zdt2 | zdt3 | zdt4 | zdt6 | dtlz1 | dtlz2 (3 objectives)
  --algorithm    nsga2 (default): crowding-distance survival; nsga3: reference-point survival
                 (Deb & Jain 2014), better spread on three or more objectives
  --directions   nsga3 only: das-dennis (lattice k/H) or energy (Riesz s-energy, any count;
                 Blank et al. 2021); default: see docs/solver.md
  --partitions   das-dennis: partitions H (e.g. H=12 → 91 directions for 3 objectives)
  --count        energy: number of directions (default: the population size)
  --direction-seed  energy: seed of the directions (default 1; independent of --seed)
  --population   population size (default 100)
  --generations  generations, the initial population counting as the first (default 250)
  --evaluations  stop after this many evaluations instead / as well
  --seconds      wall-time budget
  --seed         PRNG seed (default 1); the same seed gives the same front for any --workers
  --workers      evaluate on W worker threads (default 0: in this thread)
  --nvar         number of variables (default: the problem's standard size)
  --reference    hypervolume reference point (default: 1.1 × the true front's nadir); used to
                 report the front's hypervolume, not to choose the front
  --front        population: the final population's first front; hypervolume: N solutions chosen
                 by hypervolume from the run archive (default for nsga3 on 2-3 objectives)
  --archive      run archive capacity for --front hypervolume (default 10 × population)
  --out          output JSON file (default: standard output)`;

function integer(name: string, value: string | undefined, fallback: number | undefined, min: number): number | undefined {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!Number.isInteger(x) || x < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return x;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      problem: { type: 'string' },
      algorithm: { type: 'string' },
      partitions: { type: 'string' },
      directions: { type: 'string' },
      count: { type: 'string' },
      'direction-seed': { type: 'string' },
      population: { type: 'string' },
      generations: { type: 'string' },
      evaluations: { type: 'string' },
      seconds: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      nvar: { type: 'string' },
      reference: { type: 'string' },
      front: { type: 'string' },
      archive: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.problem) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const { runNsga2, defaultDasDennis, createBenchmarkProblem, benchmarkReferencePoint, isBenchmarkName, BENCHMARK_NAMES, hypervolume, isAlgorithmName, ALGORITHM_NAMES, isFrontSelection, FRONT_SELECTIONS } = await import('../solver/index.js');
  const frontSelection = values.front?.toLowerCase();
  if (frontSelection !== undefined && !isFrontSelection(frontSelection)) throw new Error(`--front must be one of ${FRONT_SELECTIONS.join(', ')}, got "${values.front}"`);
  const algorithm = (values.algorithm ?? 'nsga2').toLowerCase();
  if (!isAlgorithmName(algorithm)) throw new Error(`--algorithm must be one of ${ALGORITHM_NAMES.join(', ')}, got "${values.algorithm}"`);
  const partitions = integer('partitions', values.partitions, undefined, 1);
  const count = integer('count', values.count, undefined, 1);
  const directionSeed = integer('direction-seed', values['direction-seed'], undefined, 0);
  const method = values.directions?.toLowerCase();
  const anyDirections = method !== undefined || partitions !== undefined || count !== undefined || directionSeed !== undefined;
  if (anyDirections && algorithm !== 'nsga3') throw new Error(`--directions, --partitions, --count and --direction-seed set NSGA-III's reference directions; add --algorithm nsga3 (got --algorithm ${algorithm})`);
  if (method !== undefined && method !== 'das-dennis' && method !== 'energy') throw new Error(`--directions must be das-dennis or energy, got "${values.directions}"`);
  const effective = method ?? (count !== undefined || directionSeed !== undefined ? 'energy' : partitions !== undefined ? 'das-dennis' : undefined);
  if (effective === 'energy' && partitions !== undefined) throw new Error('--partitions is for --directions das-dennis; energy directions take --count N');
  if (effective === 'das-dennis' && (count !== undefined || directionSeed !== undefined)) throw new Error('--count and --direction-seed are for --directions energy; das-dennis takes --partitions H');
  const populationSize = integer('population', values.population, 100, 2)!;
  const name = values.problem.toLowerCase();
  if (!isBenchmarkName(name)) throw new Error(`--problem must be one of ${BENCHMARK_NAMES.join(', ')}, got "${values.problem}"`);
  const problem = createBenchmarkProblem(name, { nVar: integer('nvar', values.nvar, undefined, 2) });
  const reference = values.reference === undefined ? benchmarkReferencePoint(name, problem.nObj) : values.reference.split(',').map(Number);
  if (reference.length !== problem.nObj || reference.some((v) => !Number.isFinite(v))) {
    throw new Error(`--reference must be ${problem.nObj} comma-separated numbers, got "${values.reference}"`);
  }
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (seconds !== undefined && !(seconds > 0)) throw new Error(`--seconds must be a positive number, got "${values.seconds}"`);
  const maxEvaluations = integer('evaluations', values.evaluations, undefined, 1);
  const generations = integer('generations', values.generations, maxEvaluations === undefined && seconds === undefined ? 250 : undefined, 1);

  const referenceDirections =
    effective === 'energy'
      ? { method: 'energy' as const, count: count ?? populationSize, ...(directionSeed !== undefined ? { seed: directionSeed } : {}) }
      : effective === 'das-dennis'
        ? partitions !== undefined
          ? { method: 'das-dennis' as const, partitions }
          : defaultDasDennis(problem.nObj, populationSize).directions
        : undefined;

  const result = await runNsga2(problem, {
    algorithm,
    ...(referenceDirections !== undefined ? { referenceDirections } : {}),
    populationSize,
    generations,
    maxEvaluations,
    maxSeconds: seconds,
    seed: integer('seed', values.seed, 1, 0),
    workers: integer('workers', values.workers, 0, 0),
    referencePoint: reference,
    ...(frontSelection !== undefined ? { frontSelection } : {}),
    ...(values.archive !== undefined ? { archiveCapacity: integer('archive', values.archive, undefined, 1) } : {}),
  });
  const { nObj, nVar } = problem;
  const rows = (a: Float64Array, width: number) => Array.from({ length: result.front.size }, (_, i) => Array.from(a.subarray(i * width, (i + 1) * width)));
  const hv = nObj <= 3 ? hypervolume(result.front.f, nObj, reference, result.front.size) : null;
  const json = {
    problem: name,
    algorithm,
    frontSelection: result.frontSelection,
    objectives: rows(result.front.f, nObj),
    variables: rows(result.front.x as Float64Array, nVar),
    evaluations: result.evaluations,
    seconds: result.seconds,
    hypervolume: hv,
  };
  const text = JSON.stringify(json);
  if (values.out) {
    await writeFile(values.out, `${text}\n`);
    if (!values.quiet) {
      console.log(`${name} (${algorithm}): ${result.front.size} non-dominated solutions, ${result.evaluations} evaluations in ${result.seconds.toFixed(3)} s, hypervolume ${hv?.toFixed(6) ?? 'n/a'} w.r.t. (${reference.join(', ')}) → ${values.out}`);
    }
  } else {
    console.log(text);
  }
  return 0;
}
