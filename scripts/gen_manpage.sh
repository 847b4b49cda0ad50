#!/usr/bin/env bash
# Writes the snnfit(1) man page to stdout from the binary's own --help texts, so the
# page can never disagree with the command line. Run by the build (apps/CMakeLists.txt).
#   scripts/gen_manpage.sh BUILD/apps/snnfit > snnfit.1
set -euo pipefail
bin=$1
version=$("$bin" --version | awk '{print $2}')
# The subcommands, in the order `snnfit --help` lists them.
subs=$("$bin" --help | awk '/^[Ss][Uu][Bb][Cc][Oo][Mm][Mm][Aa][Nn][Dd][Ss]:/ {on = 1; next} on && NF {print $1}')
esc() { sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/'; }
cat <<HEAD
.TH SNNFIT 1 "" "snnfit $version" "User Commands"
.SH NAME
snnfit \\- fit spiking neuron and network models to spike\\-train data
.SH SYNOPSIS
HEAD
for s in $subs; do echo ".B snnfit $s"; echo "[\\fIoptions\\fR]"; echo ".br"; done
cat <<'DESC'
.B mpirun \-n
.I N
.B snnfit run
.I CONFIG
[\fIoptions\fR]
.SH DESCRIPTION
snnfit fits the parameters of spiking neural networks and single neurons (Izhikevich,
AdEx, LIF, Hodgkin\-Huxley) to spike trains with an island\-model optimizer, simulating
each candidate with its own simulator and scoring it with spike distances (ISI, SPIKE,
SPIKE\-synchronization, Victor\-Purpura, van Rossum). Runs are checkpointed to HDF5 and
resume bit\-identically. Configs are TOML; units are ms, mV, pA, nS, pF and Hz, and spike
times in HDF5 files are in seconds.
.PP
The sections below are each subcommand's \fB\-\-help\fR.
DESC
for s in $subs; do
  echo ".SH \"snnfit $s\""
  echo ".nf"
  "$bin" "$s" --help | sed "s#^Usage: [^ ]*#Usage: snnfit#" | esc
  echo ".fi"
done
cat <<'TAIL'
.SH EXIT STATUS
.TP
.B 0
success
.TP
.B 1
internal error (a bug: please report it)
.TP
.B 2
bad input: command line, config, or data file (the message names it); also a refused resume
.TP
.B 3
the run could not go on (I/O failure, a worker died)
.TP
.B 75
interrupted (SIGTERM, SIGINT, SIGUSR1); checkpoint written; resumable with \fB\-\-resume auto\fR
.SH FILES
.TP
.I PREFIX/share/snnfit/examples
example configs (\fBsnnfit run PREFIX/share/snnfit/examples/single_cell_izhikevich.toml\fR)
.TP
.I PREFIX/share/snnfit/slurm
sbatch templates for single\-node, multi\-node, array and self\-requeueing jobs
.TP
.I PREFIX/share/snnfit/report.py
the figures of \fBsnnfit report\fR (Debian's python3\-matplotlib, python3\-h5py)
.SH ENVIRONMENT
.TP
.B SNNFIT_REPORT_SCRIPT
the report script to run instead of the installed one
.TP
.B SNNFIT_PYTHON
the Python that runs it (default /usr/bin/python3)
.SH SEE ALSO
The README of the snnfit sources: every config key, file layout and benchmark.
TAIL
