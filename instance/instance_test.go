package instance

import (
	"bufio"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestMain lets the test binary play a second Earshot: with
// EARSHOT_INSTANCE_HELPER set to a folder it claims it, says "claimed"
// and waits to be killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("EARSHOT_INSTANCE_HELPER"); dir != "" {
		if _, err := Claim(dir); err != nil {
			os.Stdout.WriteString("error " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("claimed\n")
		select {}
	}
	os.Exit(m.Run())
}

// TestClaimOnce claims a folder, then claims it again as a second launch
// would: the second gets ErrRunning and the first a show request. After
// Close the folder can be claimed anew.
func TestClaimOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "earshot")
	first, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Claim(dir); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Claim = %v, want ErrRunning", err)
	}
	select {
	case <-first.Shows():
	default:
		t.Error("the running instance got no show request")
	}
	if info, err := os.Stat(filepath.Join(dir, socketName)); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("socket: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Claim(dir)
	if err != nil {
		t.Fatalf("Claim after Close: %v", err)
	}
	again.Close()
}

// TestClaimAfterKill kills an instance with SIGKILL, which leaves its
// lock file and socket behind: the next Claim still succeeds.
func TestClaimAfterKill(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "earshot")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "EARSHOT_INSTANCE_HELPER="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "claimed\n" {
		cmd.Process.Kill()
		t.Fatalf("helper said %q", line)
	}
	if _, err := Claim(dir); !errors.Is(err, ErrRunning) {
		t.Errorf("Claim while the helper runs = %v, want ErrRunning", err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	for _, name := range []string{lockName, socketName} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("the killed instance left no %s: %v", name, err)
		}
	}
	i, err := Claim(dir)
	if err != nil {
		t.Fatalf("Claim after SIGKILL: %v", err)
	}
	i.Close()
}

// TestClaimRefusesSharedFolder refuses a folder others may enter.
func TestClaimRefusesSharedFolder(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	if i, err := Claim(dir); err == nil {
		i.Close()
		t.Fatal("Claim of a 0755 folder succeeded")
	}
}

// TestAnswerIgnoresOtherCommands sends a command other than "show": no
// show request, no answer.
func TestAnswerIgnoresOtherCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "earshot")
	i, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer i.Close()
	c, err := netDial(filepath.Join(dir, socketName))
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("quit\n"))
	b, _ := bufio.NewReader(c).ReadString('\n')
	c.Close()
	if b != "" {
		t.Errorf("answered %q to quit", b)
	}
	select {
	case <-i.Shows():
		t.Error("quit was taken as show")
	default:
	}
}

// netDial connects to the Unix socket at p.
func netDial(p string) (net.Conn, error) { return net.Dial("unix", p) }
