// Written by `npm run bench -- batch-cost` (bench/batchCost.ts); do not edit by hand.
export const CALIBRATION = {
  "secondsPer": {
    "multiplyAdds": 3.5748641304688505e-11,
    "operands": 1.1650391893675218e-9,
    "dense": 2.3209493518065915e-9,
    "hidden": 8.077252922621714e-9,
    "gaussians": 2.2404435745275342e-8,
    "calls": 4.417207027966405e-8,
    "giantSeeds": 0.5013327117067984,
    "reuseSeeds": 0.0593949450432351
  },
  "provenance": "npm run bench -- batch-cost, 2026-12-06 21:51 UTC (product rates measured 22:27 by the same bench code): 32 configurations, the second of 2 seeds each, backend onnx, 2 cores (AMD EPYC), Node v20.20.2, load average at the start 8.1/3.8/1.6 (shared machine); the product's rates measured (28.0 G multiply-adds and 0.86 G operand elements per CPU-second), the others by non-negative least squares on relative errors",
  "measurements": [
    {
      "label": "giant-step --preset learning-curve n=d^1.3",
      "kind": "giant-step",
      "shape": {
        "d": 256,
        "p": 512,
        "n": 1351,
        "steps": 1,
        "nTest": 8192,
        "nRefit": 1351,
        "preprocess": true,
        "activation": "relu(z)",
        "target": "0.5*(He(4,z1)/24 + He(2,z1)/2 + He(1,z1) + He(4,z2)/24 + He(2,z2)/2 + He(1,z2))"
      },
      "cpuSeconds": 1.468
    },
    {
      "label": "giant-step --preset learning-curve n=d^1.65",
      "kind": "giant-step",
      "shape": {
        "d": 256,
        "p": 512,
        "n": 9410,
        "steps": 1,
        "nTest": 8192,
        "nRefit": 9410,
        "preprocess": true,
        "activation": "relu(z)",
        "target": "0.5*(He(4,z1)/24 + He(2,z1)/2 + He(1,z1) + He(4,z2)/24 + He(2,z2)/2 + He(1,z2))"
      },
      "cpuSeconds": 2.082
    },
    {
      "label": "giant-step --preset learning-curve n=d^2",
      "kind": "giant-step",
      "shape": {
        "d": 256,
        "p": 512,
        "n": 65536,
        "steps": 1,
        "nTest": 8192,
        "nRefit": 65536,
        "preprocess": true,
        "activation": "relu(z)",
        "target": "0.5*(He(4,z1)/24 + He(2,z1)/2 + He(1,z1) + He(4,z2)/24 + He(2,z2)/2 + He(1,z2))"
      },
      "cpuSeconds": 7.894
    },
    {
      "label": "giant-step --preset staircase connected/d=64",
      "kind": "giant-step",
      "shape": {
        "d": 64,
        "p": 256,
        "n": 256,
        "steps": 3,
        "nTest": 8192,
        "nRefit": 256,
        "preprocess": false,
        "activation": "relu(z)",
        "target": "0.5*(z1 + z1^2 + z2 - z2^2)"
      },
      "cpuSeconds": 0.493
    },
    {
      "label": "giant-step --preset staircase connected/d=512",
      "kind": "giant-step",
      "shape": {
        "d": 512,
        "p": 256,
        "n": 2048,
        "steps": 3,
        "nTest": 8192,
        "nRefit": 2048,
        "preprocess": false,
        "activation": "relu(z)",
        "target": "0.5*(z1 + z1^2 + z2 - z2^2)"
      },
      "cpuSeconds": 1.363
    },
    {
      "label": "giant-step --preset notebook notebook/n=d^1.3",
      "kind": "giant-step",
      "shape": {
        "d": 512,
        "p": 1024,
        "n": 3326,
        "steps": 1,
        "nTest": 100000,
        "nRefit": 3326,
        "preprocess": true,
        "activation": "relu(z)",
        "target": "0.5*(He(4,z1)/24 + He(2,z1)/2 + He(1,z1) + He(4,z2)/24 + He(2,z2)/2 + He(1,z2))",
        "protocol": "notebook"
      },
      "cpuSeconds": 7.444
    },
    {
      "label": "giant-step --preset notebook notebook/n=d^1.65",
      "kind": "giant-step",
      "shape": {
        "d": 512,
        "p": 1024,
        "n": 29532,
        "steps": 1,
        "nTest": 100000,
        "nRefit": 29532,
        "preprocess": true,
        "activation": "relu(z)",
        "target": "0.5*(He(4,z1)/24 + He(2,z1)/2 + He(1,z1) + He(4,z2)/24 + He(2,z2)/2 + He(1,z2))",
        "protocol": "notebook"
      },
      "cpuSeconds": 12.107
    },
    {
      "label": "giant-step --preset notebook index-lab/n=d^1.3",
      "kind": "giant-step",
      "shape": {
        "d": 512,
        "p": 1024,
        "n": 3326,
        "steps": 1,
        "nTest": 8192,
        "nRefit": 3326,
        "preprocess": true,
        "activation": "relu(z)",
        "target": "0.5*(He(4,z1)/24 + He(2,z1)/2 + He(1,z1) + He(4,z2)/24 + He(2,z2)/2 + He(1,z2))"
      },
      "cpuSeconds": 3.156
    },
    {
      "label": "batch-reuse --preset first-step tanh/multi-pass/d=2000",
      "kind": "batch-reuse",
      "shape": {
        "d": 2000,
        "p": 8,
        "alpha": 2,
        "steps": 1,
        "nTest": 4096,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "tanh(z)"
      },
      "cpuSeconds": 0.409
    },
    {
      "label": "batch-reuse --preset first-step tanh/one-pass/d=2000",
      "kind": "batch-reuse",
      "shape": {
        "d": 2000,
        "p": 8,
        "alpha": 2,
        "steps": 1,
        "nTest": 4096,
        "algorithm": "one-pass",
        "minibatches": 1,
        "activation": "tanh(z)"
      },
      "cpuSeconds": 0.436
    },
    {
      "label": "batch-reuse --preset he3 He3/multi-pass/d=500",
      "kind": "batch-reuse",
      "shape": {
        "d": 500,
        "p": 2,
        "alpha": 5,
        "steps": 2,
        "nTest": 2048,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.159
    },
    {
      "label": "batch-reuse --preset he3 He3/one-pass/d=500",
      "kind": "batch-reuse",
      "shape": {
        "d": 500,
        "p": 2,
        "alpha": 5,
        "steps": 2,
        "nTest": 2048,
        "algorithm": "one-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.136
    },
    {
      "label": "batch-reuse --preset he3 He3/multi-pass/d=2000",
      "kind": "batch-reuse",
      "shape": {
        "d": 2000,
        "p": 2,
        "alpha": 5,
        "steps": 2,
        "nTest": 2048,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.606
    },
    {
      "label": "batch-reuse --preset he3 He3/one-pass/d=2000",
      "kind": "batch-reuse",
      "shape": {
        "d": 2000,
        "p": 2,
        "alpha": 5,
        "steps": 2,
        "nTest": 2048,
        "algorithm": "one-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 1.046
    },
    {
      "label": "batch-reuse --preset even He4/multi-pass/d=125",
      "kind": "batch-reuse",
      "shape": {
        "d": 125,
        "p": 8,
        "alpha": 5,
        "steps": 2,
        "nTest": 2048,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.024
    },
    {
      "label": "batch-reuse --preset even He4/one-pass/d=125",
      "kind": "batch-reuse",
      "shape": {
        "d": 125,
        "p": 8,
        "alpha": 5,
        "steps": 2,
        "nTest": 2048,
        "algorithm": "one-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.015
    },
    {
      "label": "batch-reuse --preset even He4/multi-pass/d=1000",
      "kind": "batch-reuse",
      "shape": {
        "d": 1000,
        "p": 8,
        "alpha": 5,
        "steps": 2,
        "nTest": 2048,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.212
    },
    {
      "label": "batch-reuse --preset even He4/one-pass/d=1000",
      "kind": "batch-reuse",
      "shape": {
        "d": 1000,
        "p": 8,
        "alpha": 5,
        "steps": 2,
        "nTest": 2048,
        "algorithm": "one-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.372
    },
    {
      "label": "batch-reuse --preset hidden-progress TEST/multi-pass/d=250",
      "kind": "batch-reuse",
      "shape": {
        "d": 250,
        "p": 2,
        "alpha": 5,
        "steps": 7,
        "nTest": 2048,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.032
    },
    {
      "label": "batch-reuse --preset hidden-progress TEST/one-pass/d=250",
      "kind": "batch-reuse",
      "shape": {
        "d": 250,
        "p": 2,
        "alpha": 5,
        "steps": 7,
        "nTest": 2048,
        "algorithm": "one-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.055
    },
    {
      "label": "batch-reuse --preset hidden-progress TEST/multi-pass/d=1000",
      "kind": "batch-reuse",
      "shape": {
        "d": 1000,
        "p": 2,
        "alpha": 5,
        "steps": 7,
        "nTest": 2048,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.392
    },
    {
      "label": "batch-reuse --preset hidden-progress TEST/one-pass/d=1000",
      "kind": "batch-reuse",
      "shape": {
        "d": 1000,
        "p": 2,
        "alpha": 5,
        "steps": 7,
        "nTest": 2048,
        "algorithm": "one-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.982
    },
    {
      "label": "batch-reuse --preset hidden-progress reference/multi-pass/d=2000",
      "kind": "batch-reuse",
      "shape": {
        "d": 2000,
        "p": 2,
        "alpha": 5,
        "steps": 6,
        "nTest": 2048,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.927
    },
    {
      "label": "batch-reuse --preset parity-plus-he3 P3H3/multi-pass/d=125",
      "kind": "batch-reuse",
      "shape": {
        "d": 125,
        "p": 2,
        "alpha": 5,
        "steps": 3,
        "nTest": 2048,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.025
    },
    {
      "label": "batch-reuse --preset parity-plus-he3 P3H3/one-pass/d=125",
      "kind": "batch-reuse",
      "shape": {
        "d": 125,
        "p": 2,
        "alpha": 5,
        "steps": 3,
        "nTest": 2048,
        "algorithm": "one-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.035
    },
    {
      "label": "batch-reuse --preset parity-plus-he3 P3H3/multi-pass/d=1000",
      "kind": "batch-reuse",
      "shape": {
        "d": 1000,
        "p": 2,
        "alpha": 5,
        "steps": 3,
        "nTest": 2048,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.212
    },
    {
      "label": "batch-reuse --preset parity-plus-he3 P3H3/one-pass/d=1000",
      "kind": "batch-reuse",
      "shape": {
        "d": 1000,
        "p": 2,
        "alpha": 5,
        "steps": 3,
        "nTest": 2048,
        "algorithm": "one-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.49
    },
    {
      "label": "giant-step README two-index d=256 p=512 n=d^2 T=2",
      "kind": "giant-step",
      "shape": {
        "d": 256,
        "p": 512,
        "n": 65536,
        "steps": 2,
        "nTest": 8192,
        "nRefit": 65536,
        "preprocess": true,
        "activation": "relu(z)",
        "target": "0.5*(z1 + z1^2 + z2 - z2^2)"
      },
      "cpuSeconds": 10.211
    },
    {
      "label": "giant-step tanh d=128 p=256 n=8192 T=1",
      "kind": "giant-step",
      "shape": {
        "d": 128,
        "p": 256,
        "n": 8192,
        "steps": 1,
        "nTest": 8192,
        "nRefit": 8192,
        "preprocess": true,
        "activation": "tanh(z)",
        "target": "He(2,z)"
      },
      "cpuSeconds": 1.248
    },
    {
      "label": "batch-reuse README He3 relu d=1000 alpha=2 T=4",
      "kind": "batch-reuse",
      "shape": {
        "d": 1000,
        "p": 4,
        "alpha": 2,
        "steps": 4,
        "nTest": 4096,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.207
    },
    {
      "label": "batch-reuse README He3/sqrt6 p=2 alpha=5 T=2",
      "kind": "batch-reuse",
      "shape": {
        "d": 1000,
        "p": 2,
        "alpha": 5,
        "steps": 2,
        "nTest": 4096,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.233
    },
    {
      "label": "batch-reuse wide p=64 d=500 alpha=4 T=3",
      "kind": "batch-reuse",
      "shape": {
        "d": 500,
        "p": 64,
        "alpha": 4,
        "steps": 3,
        "nTest": 4096,
        "algorithm": "multi-pass",
        "minibatches": 1,
        "activation": "relu(z)"
      },
      "cpuSeconds": 0.279
    }
  ]
};
