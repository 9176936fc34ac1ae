import { LIMITS } from "@/lib/core/limits";
import { bytes, bytesToMb } from "@/lib/core/units";
import { flag, noImpact, num, pct, type Rule } from "../context";

/**
 * Deployment package vs 50 MB zipped and code + layers vs 250 MB unzipped. Lambda does not report unzipped
 * size: when unknown, zipped code + layers is used as a lower bound (and the flag says so).
 */
export const codeSize: Rule = (input, ctx) => {
  const near = ctx.thresholds.limits.codeSizeNearAbove;
  const zipped = input.config.codeSize;
  const layers = input.config.layers.reduce((sum, l) => sum + l.codeSize, 0);
  const unzipped = input.observed.unzippedCodeSize;
  const unzippedOrBound = unzipped ?? bytes(zipped + layers);
  const zippedShare = zipped / LIMITS.zippedPackage.value;
  const unzippedShare = unzippedOrBound / LIMITS.unzippedPackage.value;
  if (zippedShare < near && unzippedShare < near) return [];
  const worst = zippedShare >= unzippedShare ? "zipped" : "unzipped";
  return [
    flag(input, "code-size", {
      severity: "warning",
      title:
        worst === "zipped"
          ? `Deployment package ${bytesToMb(zipped).toFixed(1)} MB is ${pct(zippedShare)} of the 50 MB zipped limit`
          : `Code + layers ${bytesToMb(unzippedOrBound).toFixed(1)} MB is ${pct(unzippedShare)} of the 250 MB unzipped limit`,
      numbers: {
        zippedCodeSize: num(zipped, "bytes"),
        layersSize: num(layers, "bytes"),
        zippedShare: num(zippedShare, "ratio"),
        [unzipped === null ? "unzippedLowerBound" : "unzippedSize"]: num(unzippedOrBound, "bytes"),
        unzippedShare: num(unzippedShare, "ratio"),
      },
      confidence:
        worst === "zipped" || unzipped !== null
          ? { level: "high", why: `${LIMITS.zippedPackage.cite}` }
          : { level: "medium", why: "unzipped size unknown: zipped code + layers used as a lower bound" },
      recommendation: {
        text: "Trim dependencies, move shared code to a layer, or move to a container image (10 GB).",
        action: { kind: "shrink-package" },
      },
      monthlyImpact: noImpact("a deploy over the limit fails; no list-price cost"),
    }),
  ];
};
