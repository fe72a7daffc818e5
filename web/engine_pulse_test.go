package web

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// pulseShared is the test binary's one PulseAudio daemon, started by the
// first engine that needs an audio sink and stopped by stopEngines.
var pulseShared struct {
	sync.Mutex
	cmd    *exec.Cmd
	keeper *exec.Cmd // pacat playing silence at 20 ms latency (startPulse)
	dir    string
	server string // PULSE_SERVER value: "unix:<dir>/native"
	err    error
}

// pulseServer returns the PULSE_SERVER address of a PulseAudio daemon whose
// only output is a null sink, starting it on first use. Headless Firefox
// fails every track with media error 3 (MEDIA_ERR_DECODE) when there is no
// audio output, and WebKit's GStreamer pipeline needs one too. The daemon
// has its own runtime folder and socket, so it touches no user's sound
// server. It fails the test when the daemon does not come up in 15 s.
func pulseServer(t testing.TB) string {
	t.Helper()
	p := &pulseShared
	p.Lock()
	defer p.Unlock()
	if p.server == "" && p.err == nil {
		p.server, p.err = startPulse()
	}
	if p.err != nil {
		t.Fatalf("pulseaudio: %v", p.err)
	}
	return p.server
}

func startPulse() (string, error) {
	dir, err := os.MkdirTemp("", "earshot-pulse-")
	if err != nil {
		return "", err
	}
	socket := filepath.Join(dir, "native")
	// The unix protocol loads last: its socket appearing means the sinks
	// exist. -n: no default.pa (no hardware, no D-Bus).
	cmd := exec.Command("pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n",
		"--use-pid-file=no", "--disallow-exit",
		"--load=module-null-sink sink_name=nullsink",
		"--load=module-always-sink",
		"--load=module-native-protocol-unix auth-anonymous=1 socket="+socket)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_RUNTIME_DIR="+dir, "PULSE_RUNTIME_PATH="+dir,
		"PULSE_STATE_PATH="+dir, "XDG_CONFIG_HOME="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = childProcAttr()
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := os.Stat(socket); err == nil {
			keeper, err := startSilence("unix:" + socket)
			if err != nil {
				cmd.Process.Kill()
				os.RemoveAll(dir)
				return "", err
			}
			pulseShared.cmd, pulseShared.keeper, pulseShared.dir = cmd, keeper, dir
			return "unix:" + socket, nil
		}
		select {
		case err := <-exited:
			os.RemoveAll(dir)
			return "", fmt.Errorf("exited before its socket appeared (%v): %s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			os.RemoveAll(dir)
			return "", fmt.Errorf("no socket %s after 15 s: %s", socket, out.String())
		}
	}
}

// startSilence plays silence into the null sink for as long as it runs,
// asking for 20 ms of latency. A null sink with no stream of low latency
// sleeps up to 2 s between wake-ups (PulseAudio's null-sink: its maximum
// latency), so a stream that starts then waits for it: Firefox's position
// stood still for 1.7 s after every seek (and 0.6 s after the first play)
// until this kept the sink awake, as a sound card's driver does.
func startSilence(server string) (*exec.Cmd, error) {
	cmd := exec.Command("pacat", "--playback", "--raw", "--latency-msec=20", "--client-name=earshot-tests-silence", "/dev/zero")
	cmd.Env = append(os.Environ(), "PULSE_SERVER="+server)
	cmd.SysProcAttr = childProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pacat (pulseaudio-utils): %w", err)
	}
	go cmd.Wait()
	return cmd, nil
}

// stopPulse ends the PulseAudio daemon, if one was started, and removes
// its folder.
func stopPulse() {
	p := &pulseShared
	p.Lock()
	defer p.Unlock()
	if p.cmd != nil {
		p.keeper.Process.Kill()
		p.cmd.Process.Kill()
		os.RemoveAll(p.dir)
		p.cmd, p.server = nil, ""
	}
}
