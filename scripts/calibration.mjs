#!/usr/bin/env node
// `npm run calibration [file]`: writes the calibration sheet (a labelled point grid on pages of every
// geometry in COORDINATES.md) for an integrator to sign once on their real provider.
import { writeFileSync } from 'node:fs';
import { buildCalibrationPdf } from '../server/src/pdf/calibration.ts';

const file = process.argv[2] ?? 'esign-kit-calibration.pdf';
writeFileSync(file, await buildCalibrationPdf());
console.log(`Wrote ${file}. Sign it once on your provider with the boxes the kit computes, then compare by eye (see the README, "Calibrating").`);
