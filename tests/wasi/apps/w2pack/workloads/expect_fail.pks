# A command expected to fail that succeeds ends the script with status 5.
echo this succeeds
!3 echo so this line fails the script
echo never reached
